/** What every admin page goes through: the ADMIN_TOKEN switch, the session, CSRF, the sign-in guard. */
import { zValidator } from "@hono/zod-validator";
import type { Context, MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AdminSession } from "../../admin/sessions.js";
import { adminEnabled } from "../../admin/token.js";
import type { AppDeps } from "../../app.js";
import { AppError } from "../../errors.js";
import {
  anonymousCsrfCookie,
  anonymousCsrfToken,
  sameOriginRequest,
  submittedToken,
  tokensMatch,
} from "../csrf.js";
import type { AppEnv } from "../env.js";
import { type IpLimit, ipRateLimit } from "../rate-limit.js";
import { cookieIsSecure } from "../session.js";
import { readAdminSession } from "./session.js";

export interface AdminEnv {
  Variables: AppEnv["Variables"] & {
    adminSession?: AdminSession;
    /** The token every form of this response carries. */
    csrfToken: string;
  };
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Without ADMIN_TOKEN the admin does not exist (404, not a sign-in form to probe). With it: the
 * session is loaded, forged posts are refused (cross-site, or a token that does not match the
 * session's, or before sign-in the double-submit cookie's), and pages stay out of caches.
 */
export function adminBasics(deps: AppDeps): MiddlewareHandler<AdminEnv> {
  const sessionDeps = { db: deps.database.db, config: deps.config };
  return async (c, next) => {
    const t = c.get("t");
    if (!adminEnabled(deps.config)) throw new AppError("NOT_FOUND", t("error.api.notFound"));
    const session = await readAdminSession(sessionDeps, c);
    c.set("adminSession", session);
    if (UNSAFE.has(c.req.method)) {
      if (!sameOriginRequest(c, deps.config.publicUrl))
        throw new AppError("FORBIDDEN", t("admin.csrf.crossSite"));
      const expected = session?.csrfToken ?? anonymousCsrfCookie(c);
      if (!tokensMatch(await submittedToken(c), expected))
        throw new AppError("FORBIDDEN", t("admin.csrf.invalid"));
    }
    c.set("csrfToken", session?.csrfToken ?? anonymousCsrfToken(c, cookieIsSecure(deps.config)));
    await next();
    c.header("Cache-Control", "no-store");
  };
}

/** Pages behind the operator's sign-in: without a session the browser goes to the sign-in form. */
export const requireAdmin: MiddlewareHandler<AdminEnv> = async (c, next) => {
  if (!c.get("adminSession")) return c.redirect("/admin/login", 303);
  await next();
};

export type LoginLimit = IpLimit;

/** Sign-in attempts per client address: the 11th within 15 minutes waits. */
export function loginLimiter(deps: AppDeps, options: LoginLimit = { limit: 10, windowMs: 15 * 60_000 }) {
  return ipRateLimit<AdminEnv>(deps.config.TRUST_PROXY, options, "admin.login.tooMany");
}

/** Validator hooks see a plain Context; the app's middleware has set `t` on every request. */
const tOf = (c: Context) => (c as unknown as Context<AppEnv>).get("t");

/** A shop id from the URL; anything that is not one reads as a missing page. */
export const shopIdParam = zValidator("param", z.object({ shopId: z.guid() }), (result, c) => {
  if (!result.success) throw new AppError("NOT_FOUND", tOf(c)("error.api.notFound"));
});

/** A malformed admin form (not an operator's typo): a plain 400. */
export function adminForm<T extends z.ZodType>(schema: T) {
  return zValidator("form", schema, (result, c) => {
    if (!result.success) throw new AppError("VALIDATION", tOf(c)("admin.form.invalid"));
  });
}
