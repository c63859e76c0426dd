/** Middleware shared by every page router: session, CSRF, sign-in guard, key-paste rate limit. */
import { type Hook, zValidator } from "@hono/zod-validator";
import type { Context, MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AppDeps } from "../../app.js";
import { findUnstorable } from "../../db/storable.js";
import { AppError } from "../../errors.js";
import {
  anonymousCsrfCookie,
  anonymousCsrfToken,
  sameOriginRequest,
  submittedToken,
  tokensMatch,
} from "../csrf.js";
import { type IpLimit, ipRateLimit } from "../rate-limit.js";
import { cookieIsSecure, readSession } from "../session.js";
import type { PageEnv } from "./env.js";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Loads the session (if any), decides the form token, refuses forged posts, and keeps pages out of
 * caches: they show shop data, and the webhook page shows a secret once.
 */
export function pageBasics(deps: AppDeps): MiddlewareHandler<PageEnv> {
  const sessionDeps = { db: deps.database.db, config: deps.config };
  return async (c, next) => {
    const session = await readSession(sessionDeps, c);
    c.set("session", session);
    if (UNSAFE.has(c.req.method)) {
      const t = c.get("t");
      if (!sameOriginRequest(c, deps.config.publicUrl)) throw new AppError("FORBIDDEN", t("csrf.crossSite"));
      const expected = session?.csrfToken ?? anonymousCsrfCookie(c);
      if (!tokensMatch(await submittedToken(c), expected)) throw new AppError("FORBIDDEN", t("csrf.invalid"));
    }
    c.set("csrfToken", session?.csrfToken ?? anonymousCsrfToken(c, cookieIsSecure(deps.config)));
    await next();
    c.header("Cache-Control", "no-store");
  };
}

/** Pages behind sign-in: no session sends the browser to the sign-in step. */
export const requireShop: MiddlewareHandler<PageEnv> = async (c, next) => {
  if (!c.get("session")) return c.redirect("/setup/instance?signin=1", 303);
  await next();
};

/** The signed-in shop's id (the only id any page loads data by). */
export function shopIdOf(c: Context<PageEnv>): string {
  const session = c.get("session");
  if (!session) throw new AppError("UNAUTHORIZED", c.get("t")("session.required"));
  return session.shopId;
}

export type KeyPasteLimit = IpLimit;

/** Attempts at pasting a key, per client address; the 11th within 15 minutes waits. */
export function keyPasteLimiter(
  deps: AppDeps,
  options: KeyPasteLimit = { limit: 10, windowMs: 15 * 60_000 },
) {
  return ipRateLimit<PageEnv>(deps.config.TRUST_PROXY, options, "rateLimit.keys");
}

/** Form validation for pages: a malformed post (not a user's typo) gets a plain localised 400. */
export function validForm<T extends z.ZodType>(schema: T) {
  const hook: Hook<z.infer<T>, PageEnv, string, "form", object, T> = (result, c) => {
    // PostgreSQL's text cannot hold NUL: a field carrying one was a 500 when saved (fuzz tests).
    // No person types it, so it is a malformed post like any other.
    if (!result.success || findUnstorable(result.data))
      throw new AppError("VALIDATION", c.get("t")("form.invalid"));
  };
  return zValidator<T, "form", PageEnv, string, typeof hook>("form", schema, hook);
}

/** A repeated form field (checkboxes) as a list, whether the browser sent it zero, one or many times. */
export const repeated = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

/** "dashboard" when a settings form was opened from the dashboard (it goes back there). */
export const fromField = z.enum(["dashboard"]).optional().catch(undefined);
