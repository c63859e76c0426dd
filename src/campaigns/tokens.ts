/**
 * Webhook URL tokens. OFN cannot authenticate its webhooks (ofn.md §1.2), so the URL path carries
 * an unguessable token: 256 random bits, base64url. Only its SHA-256 is stored, and requests are
 * matched by that hash through the unique index, so no token comparison can leak timing.
 */
import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { shops } from "../db/schema/index.js";
import { AppError } from "../errors.js";

/** What a token in a URL can look like; anything else is unknown without touching the database. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22,128}$/;

export function generateWebhookToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashWebhookToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function webhookUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/webhooks/ofn/${token}`;
}

/**
 * Gives the shop a new webhook URL; the previous one answers 404 from this moment on. The token is
 * returned once, to be shown in the setup page, and never stored in clear.
 */
export async function regenerateWebhookToken(
  deps: { db: Db; publicUrl: string },
  shopId: string,
): Promise<{ token: string; url: string }> {
  const token = generateWebhookToken();
  const updated = await deps.db
    .update(shops)
    .set({ webhookTokenHash: hashWebhookToken(token), updatedAt: new Date() })
    .where(eq(shops.id, shopId))
    .returning({ id: shops.id });
  if (updated.length === 0) throw new AppError("NOT_FOUND", "shop not found");
  return { token, url: webhookUrl(deps.publicUrl, token) };
}
