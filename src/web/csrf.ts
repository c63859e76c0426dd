/**
 * Cross-site request forgery defence for the setup pages and the dashboard: every form carries a
 * token that must match the session's (constant-time compare), and a request a browser labels as
 * coming from another site (Origin, Sec-Fetch-Site) is refused before the token is even read.
 * Before sign-in there is no session, so the key form uses a double-submit cookie instead: a
 * cross-site page cannot read that cookie, and SameSite=Strict keeps it off cross-site posts.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";

export const CSRF_FIELD = "_csrf";
const ANONYMOUS_COOKIE = "bridge_csrf";

export function newCsrfToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Compares digests, so neither length nor content leaks through timing. */
export function tokensMatch(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * False when the browser says the request came from elsewhere. Absent headers pass (old browsers,
 * curl): the token still has to match.
 */
export function sameOriginRequest(c: Context, publicUrl: string): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = c.req.header("origin");
  if (!origin) return true;
  if (origin === "null") return false;
  const allowed = new Set([new URL(publicUrl).origin, new URL(c.req.url).origin]);
  return allowed.has(origin);
}

/** Reads the submitted token from the form (cached by Hono, so validators can read it again). */
export async function submittedToken(c: Context): Promise<string | undefined> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    return undefined;
  }
  try {
    const value = (await c.req.formData()).get(CSRF_FIELD);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The pre-sign-in token: reuses the browser's cookie when it has one, else sets a new one. */
export function anonymousCsrfToken(c: Context, secure: boolean): string {
  const existing = getCookie(c, ANONYMOUS_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = newCsrfToken();
  setCookie(c, ANONYMOUS_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Strict",
    secure,
    maxAge: 2 * 60 * 60,
  });
  return token;
}

export function anonymousCsrfCookie(c: Context): string | undefined {
  return getCookie(c, ANONYMOUS_COOKIE);
}
