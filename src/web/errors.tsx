import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, type ErrorCode } from "../errors.js";
import type { AppEnv } from "./env.js";
import { ErrorPage } from "./views/error-page.js";

/** Paths that answer machines: JSON errors. Everything else answers people: a localised page. */
export function wantsJson(path: string): boolean {
  return path.startsWith("/api") || path.startsWith("/webhooks") || path === "/metrics";
}

function classify(err: unknown): { status: number; code: ErrorCode; message?: string } {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message };
  if (err instanceof HTTPException) {
    const status = err.status;
    const code: ErrorCode =
      status === 413
        ? "PAYLOAD_TOO_LARGE"
        : status === 401
          ? "UNAUTHORIZED"
          : status === 403
            ? "FORBIDDEN"
            : status === 404
              ? "NOT_FOUND"
              : status === 429
                ? "RATE_LIMITED"
                : status < 500
                  ? "VALIDATION"
                  : "INTERNAL";
    return { status, code, message: status < 500 ? err.message || undefined : undefined };
  }
  return { status: 500, code: "INTERNAL" };
}

/** The single onError: codes to statuses, a generic message on 500 with the request id, details only in the log. */
export function renderError(err: unknown, c: Context<AppEnv>): Response | Promise<Response> {
  const { status, code, message } = classify(err);
  const requestId = c.get("requestId") ?? "-";
  const t = c.get("t");
  if (status >= 500) c.get("logger")?.error({ err, requestId }, "request failed");
  const safeMessage =
    status >= 500
      ? t("error.api.internal")
      : code === "PAYLOAD_TOO_LARGE"
        ? t("error.payloadTooLarge")
        : (message ?? t("error.api.notFound"));
  if (wantsJson(c.req.path)) {
    const details = err instanceof AppError && status < 500 ? err.details : undefined;
    return c.json(
      { error: { code, message: safeMessage, requestId, ...(details ? { details } : {}) } },
      status as 500,
    );
  }
  const title = status === 404 ? t("error.notFound.title") : t("error.title");
  const body =
    status === 404
      ? t("error.notFound.body")
      : status >= 500
        ? t("error.internal.body", { requestId })
        : t("error.generic.body", { message: safeMessage });
  c.status(status as 500);
  return c.html(
    <ErrorPage locale={c.get("locale")} t={t} title={title} message={body} requestId={requestId} />,
  );
}
