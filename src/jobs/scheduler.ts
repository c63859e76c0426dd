/**
 * The cron tick: shops whose next_sync_at has passed get a queued sync run and a new next_sync_at.
 * Safe on every replica at once: due shops are locked with SKIP LOCKED, so each is taken by one
 * tick, and enqueueing is idempotent anyway.
 */
import { and, eq, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { shops } from "../db/schema/index.js";
import { readShopSettings } from "../shops/settings.js";
import { nextSyncAt } from "../sync/schedule.js";
import { enqueueSync } from "./sync-queue.js";

export async function enqueueDueSyncs(db: Db, now: Date = new Date(), limit = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: shops.id, settings: shops.settings, timeZone: shops.timeZone })
      .from(shops)
      .where(and(eq(shops.status, "active"), lte(shops.nextSyncAt, now)))
      .limit(limit)
      .for("update", { skipLocked: true });
    for (const shop of due) {
      const settings = readShopSettings(shop.settings);
      await tx
        .update(shops)
        .set({ nextSyncAt: nextSyncAt(shop.id, settings.sync, shop.timeZone, now) })
        .where(eq(shops.id, shop.id));
      await enqueueSync(tx as unknown as Db, shop.id, "schedule");
    }
    return due.length;
  });
}

/** Sets a shop's first (or re-planned) scheduled sync. */
export async function planNextSync(
  db: Db,
  shopId: string,
  now: Date = new Date(),
): Promise<Date | undefined> {
  const [shop] = await db
    .select({ settings: shops.settings, timeZone: shops.timeZone })
    .from(shops)
    .where(eq(shops.id, shopId));
  if (!shop) return undefined;
  const next = nextSyncAt(shopId, readShopSettings(shop.settings).sync, shop.timeZone, now);
  await db.update(shops).set({ nextSyncAt: next, updatedAt: sql`now()` }).where(eq(shops.id, shopId));
  return next;
}
