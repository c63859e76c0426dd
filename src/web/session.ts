/**
 * Server-side shop sessions. The cookie holds 256 random bits; the table holds only their SHA-256,
 * so a database leak does not hand out live sessions. Expiry slides (8 h idle) within a hard cap
 * (7 days from sign-in). Signing in always issues a new id, so a planted cookie is worthless.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { sessions } from "../db/schema/index.js";
import { newCsrfToken } from "./csrf.js";

export const SESSION_IDLE_MS = 8 * 60 * 60_000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60_000;
/** Expiry is pushed forward at most once a minute, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface ShopSession {
  idHash: string;
  shopId: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface SessionDeps {
  db: Db;
  config: Pick<Config, "publicUrl" | "TRUST_PROXY">;
}

/** Secure when the bridge is reached over https: its public URL says so, or a TLS proxy sits in front. */
export function cookieIsSecure(config: SessionDeps["config"]): boolean {
  return config.publicUrl.startsWith("https://") || config.TRUST_PROXY;
}

/** `__Host-` binds the cookie to this exact host (no Domain, Path=/, Secure): browsers only allow it over https. */
export function sessionCookieName(config: SessionDeps["config"]): string {
  return cookieIsSecure(config) ? "__Host-bridge_session" : "bridge_session";
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function idleExpiry(createdAt: Date, now: Date): Date {
  return new Date(Math.min(now.getTime() + SESSION_IDLE_MS, createdAt.getTime() + SESSION_MAX_MS));
}

/** Signs a shop in: drops any session the browser had, stores a new one, sets the cookie. */
export async function startSession(deps: SessionDeps, c: Context, shopId: string): Promise<ShopSession> {
  await endSession(deps, c);
  const token = randomBytes(32).toString("base64url");
  const now = new Date();
  const session: ShopSession = {
    idHash: hashSessionToken(token),
    shopId,
    csrfToken: newCsrfToken(),
    expiresAt: idleExpiry(now, now),
  };
  await deps.db.insert(sessions).values({
    idHash: session.idHash,
    kind: "shop",
    shopId,
    csrfToken: session.csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: session.expiresAt,
  });
  setCookie(c, sessionCookieName(deps.config), token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: cookieIsSecure(deps.config),
    // The browser forgets it at the hard cap; the server enforces idle expiry itself.
    maxAge: Math.floor(SESSION_MAX_MS / 1000),
  });
  return session;
}

/** The browser's live shop session, with its expiry slid forward; undefined when absent or expired. */
export async function readSession(
  deps: SessionDeps,
  c: Context,
  now = new Date(),
): Promise<ShopSession | undefined> {
  const token = getCookie(c, sessionCookieName(deps.config));
  if (!token || token.length > 100) return undefined;
  const idHash = hashSessionToken(token);
  const [row] = await deps.db.select().from(sessions).where(eq(sessions.idHash, idHash)).limit(1);
  if (row?.kind !== "shop" || !row.shopId) return undefined;
  const hardCap = row.createdAt.getTime() + SESSION_MAX_MS;
  if (row.expiresAt.getTime() <= now.getTime() || hardCap <= now.getTime()) {
    await deps.db.delete(sessions).where(eq(sessions.idHash, idHash));
    return undefined;
  }
  let expiresAt = row.expiresAt;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    expiresAt = idleExpiry(row.createdAt, now);
    await deps.db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.idHash, idHash));
  }
  return { idHash, shopId: row.shopId, csrfToken: row.csrfToken, expiresAt };
}

/** Signs out: the row is deleted (the token is dead everywhere), the cookie cleared. */
export async function endSession(deps: SessionDeps, c: Context): Promise<void> {
  const name = sessionCookieName(deps.config);
  const token = getCookie(c, name);
  if (!token) return;
  await deps.db.delete(sessions).where(eq(sessions.idHash, hashSessionToken(token)));
  deleteCookie(c, name, { path: "/", secure: cookieIsSecure(deps.config) });
}

/** Housekeeping for a periodic job: removes sessions past their expiry. */
export async function deleteExpiredSessions(db: Db, now = new Date()): Promise<number> {
  const removed = await db
    .delete(sessions)
    .where(and(eq(sessions.kind, "shop"), lt(sessions.expiresAt, now)))
    .returning({ idHash: sessions.idHash });
  return removed.length;
}
