/**
 * Operator sessions: rows of the shared sessions table with kind "admin" and no shop. The cookie
 * holds 256 random bits, the table only their SHA-256. Shorter than a shop's session: 30 minutes
 * idle, 8 hours at most from sign-in.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { sessions } from "../db/schema/index.js";
import { recordAudit } from "../shops/audit.js";

export const ADMIN_SESSION_IDLE_MS = 30 * 60_000;
export const ADMIN_SESSION_MAX_MS = 8 * 60 * 60_000;
/** Expiry is pushed forward at most once a minute, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface AdminSession {
  idHash: string;
  csrfToken: string;
  expiresAt: Date;
}

const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

function idleExpiry(createdAt: Date, now: Date): Date {
  return new Date(
    Math.min(now.getTime() + ADMIN_SESSION_IDLE_MS, createdAt.getTime() + ADMIN_SESSION_MAX_MS),
  );
}

/** Stores a new admin session (and an audit entry) and returns the cookie token (for the browser only). */
export async function createAdminSession(
  db: Db,
  now = new Date(),
): Promise<{ token: string; session: AdminSession }> {
  // Operators sign in rarely: clearing their expired sessions here keeps the table tidy.
  await db.delete(sessions).where(and(eq(sessions.kind, "admin"), lt(sessions.expiresAt, now)));
  const token = randomBytes(32).toString("base64url");
  const session: AdminSession = {
    idHash: hashToken(token),
    csrfToken: randomBytes(32).toString("base64url"),
    expiresAt: idleExpiry(now, now),
  };
  await db.insert(sessions).values({
    idHash: session.idHash,
    kind: "admin",
    shopId: null,
    csrfToken: session.csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: session.expiresAt,
  });
  await recordAudit(db, null, "admin.signed_in", {}, "admin");
  return { token, session };
}

/** The live admin session for a cookie token, its expiry slid forward; undefined when absent or expired. */
export async function findAdminSession(
  db: Db,
  token: string,
  now = new Date(),
): Promise<AdminSession | undefined> {
  if (token.length > 100) return undefined;
  const idHash = hashToken(token);
  const [row] = await db.select().from(sessions).where(eq(sessions.idHash, idHash)).limit(1);
  // A shop's session token never opens the admin, whatever cookie it arrives in.
  if (row?.kind !== "admin") return undefined;
  const hardCap = row.createdAt.getTime() + ADMIN_SESSION_MAX_MS;
  if (row.expiresAt.getTime() <= now.getTime() || hardCap <= now.getTime()) {
    await db.delete(sessions).where(eq(sessions.idHash, idHash));
    return undefined;
  }
  let expiresAt = row.expiresAt;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    expiresAt = idleExpiry(row.createdAt, now);
    await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.idHash, idHash));
  }
  return { idHash, csrfToken: row.csrfToken, expiresAt };
}

export async function deleteAdminSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.idHash, hashToken(token)), eq(sessions.kind, "admin")));
}
