/**
 * POST /webhooks/ofn/:token, the URL a shop pastes into OFN. Everything OFN may send gets an
 * answer that stops its retries when it should: 2xx for whatever was recorded (ignored events
 * included), 404 only for an unknown token. Never a redirect, also not for a trailing slash: OFN
 * does not follow redirects (ofn.md §1.1).
 */
import { type Context, Hono } from "hono";
import type { AppDeps } from "../../app.js";
import { IntakeQueue, receiveWebhook } from "../../campaigns/intake.js";
import { FailedLookupLimiter } from "../../campaigns/lookup-limiter.js";
import { AppError } from "../../errors.js";
import { metrics } from "../../metrics.js";
import type { AppEnv } from "../env.js";
import { clientIp } from "../rate-limit.js";
import { readBodyText } from "../read-body.js";

const MAX_BODY_BYTES = 64 * 1024;

export function webhookRoutes(deps: AppDeps, limiter = new FailedLookupLimiter()) {
  const app = new Hono<AppEnv>({ strict: true });
  const intake = new IntakeQueue({ db: deps.database.db, logger: deps.logger });

  const receive = async (c: Context<AppEnv>) => {
    const t = c.get("t");
    // The address the trusted proxy appended (the last X-Forwarded-For entry), as for every other
    // limit. This route took the first entry, which the client writes itself: a scanner changing
    // it on each guess was never blocked (found by test/security/webhook-tokens.test.ts).
    const address = clientIp(c, deps.config.TRUST_PROXY);
    if (limiter.isBlocked(address)) {
      metrics.webhookDeliveries.inc({ outcome: "rate_limited" });
      c.header("Retry-After", String(limiter.retryAfterSeconds(address)));
      throw new AppError("RATE_LIMITED", t("webhook.rateLimited"));
    }
    const rawBody = await readBodyText(c, MAX_BODY_BYTES);
    if (rawBody === undefined) throw new AppError("PAYLOAD_TOO_LARGE", t("error.payloadTooLarge"));
    const result = await receiveWebhook(
      { db: deps.database.db, intake },
      { token: c.req.param("token") ?? "", rawBody },
    );
    metrics.webhookDeliveries.inc({
      outcome:
        result.kind === "recorded"
          ? result.status
          : result.kind === "unknown_token"
            ? "unknown_token"
            : "invalid",
    });
    switch (result.kind) {
      case "unknown_token":
        limiter.recordFailure(address);
        throw new AppError("NOT_FOUND", t("webhook.unknownToken"));
      case "invalid_json":
        throw new AppError("VALIDATION", t("webhook.invalidJson"));
      case "invalid":
        throw new AppError("VALIDATION", t("webhook.invalidBody", { detail: result.message }));
      case "recorded":
        if (result.dueNow) deps.wake?.("campaign");
        return c.json({ status: result.status });
    }
  };

  app.post("/webhooks/ofn/:token", receive);
  app.post("/webhooks/ofn/:token/", receive);
  return app;
}
