/**
 * What an operator (or, for syncs, the shop itself through the API) can do to a shop. Every action
 * leaves an audit entry naming who did it. A paused shop keeps its data and keeps receiving
 * webhooks; the scheduler and the sync workers only take active shops.
 */
import { and, eq } from "drizzle-orm";
import { retryCampaign } from "../campaigns/shop-actions.js";
import type { Db } from "../db/client.js";
import { shops } from "../db/schema/index.js";
import { AppError } from "../errors.js";
import { enqueueSync, type SyncRunRow } from "../jobs/sync-queue.js";
import { recordAudit } from "../shops/audit.js";

export type Actor = "admin" | "shop";

/** Why an action cannot apply to the shop as it stands (the caller words it for its audience). */
export type ShopActionProblem = "shop_broken" | "shop_paused";

export type ActionResult<T> = { ok: true; value: T } | { ok: false; problem: ShopActionProblem };

/** The shop's status; NOT_FOUND when there is no such shop. */
export async function shopStatus(db: Db, shopId: string): Promise<string> {
  const [shop] = await db.select({ status: shops.status }).from(shops).where(eq(shops.id, shopId)).limit(1);
  if (!shop) throw new AppError("NOT_FOUND", "shop not found");
  return shop.status;
}

/**
 * Pauses (active -> paused) or resumes (paused -> active). Asking for the state the shop is already
 * in changes nothing and is not an error; a broken shop needs a new key first, not a resume.
 */
export async function setShopPaused(
  db: Db,
  shopId: string,
  paused: boolean,
  actor: Actor,
): Promise<ActionResult<{ status: "active" | "paused"; changed: boolean }>> {
  const from = paused ? "active" : "paused";
  const to = paused ? "paused" : "active";
  const updated = await db
    .update(shops)
    .set({ status: to, updatedAt: new Date() })
    .where(and(eq(shops.id, shopId), eq(shops.status, from)))
    .returning({ id: shops.id });
  if (updated.length > 0) {
    await recordAudit(db, shopId, paused ? "shop.paused" : "shop.resumed", {}, actor);
    return { ok: true, value: { status: to, changed: true } };
  }
  if ((await shopStatus(db, shopId)) === to) return { ok: true, value: { status: to, changed: false } };
  return { ok: false, problem: "shop_broken" };
}

/**
 * Queues a sync now (or returns the one already queued or running). Only for an active shop: a
 * paused or broken shop's run would wait in the queue unseen.
 */
export async function requestSync(
  deps: { db: Db; wake?: (work: "sync") => void },
  shopId: string,
  actor: Actor,
): Promise<ActionResult<{ run: SyncRunRow; created: boolean }>> {
  const status = await shopStatus(deps.db, shopId);
  if (status === "paused") return { ok: false, problem: "shop_paused" };
  if (status !== "active") return { ok: false, problem: "shop_broken" };
  const { run, created } = await enqueueSync(deps.db, shopId, actor === "admin" ? "admin" : "manual");
  await recordAudit(deps.db, shopId, "sync.requested", { runId: run.id, created }, actor);
  if (created) deps.wake?.("sync");
  return { ok: true, value: { run, created } };
}

/** Retries a failed campaign of this shop (NOT_FOUND for another shop's, CONFLICT if it has not failed). */
export async function retryFailedCampaign(
  deps: { db: Db; wake?: (work: "campaign") => void },
  shopId: string,
  campaignId: string,
  actor: Actor,
): Promise<{ id: string; status: string }> {
  const row = await retryCampaign(deps, shopId, campaignId);
  await recordAudit(deps.db, shopId, "campaign.retried", { campaignId: row.id }, actor);
  deps.wake?.("campaign");
  return { id: row.id, status: row.status };
}

/**
 * Deletes the shop and, through the cascading foreign keys, every row that belongs to it: keys,
 * contacts, runs, deliveries, campaigns, templates, sessions. The audit entry is written first
 * without the shop reference (keeping the id in its detail), so the record survives the deletion.
 */
export async function deleteShop(db: Db, shopId: string, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const [shop] = await tx
      .select({ id: shops.id, name: shops.name, ofnInstance: shops.ofnInstance })
      .from(shops)
      .where(eq(shops.id, shopId))
      .limit(1)
      .for("update");
    if (!shop) throw new AppError("NOT_FOUND", "shop not found");
    await recordAudit(
      tx as unknown as Db,
      null,
      "shop.deleted",
      { shopId, name: shop.name, ofnInstance: shop.ofnInstance },
      actor,
    );
    await tx.delete(shops).where(eq(shops.id, shopId));
  });
}
