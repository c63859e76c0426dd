/**
 * "Delete everything about this shop" and "disconnect the provider". The shop row is the root of
 * every shop table (all foreign keys cascade), so one delete removes keys, contacts, runs,
 * deliveries, campaigns, templates and sessions. The audit entry is written first and without the
 * shop reference, so the record that a deletion happened survives it.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { providerConnections, shops } from "../db/schema/index.js";
import { AppError } from "../errors.js";
import { recordAudit } from "./audit.js";

export async function deleteShopEverything(db: Db, shopId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [shop] = await tx
      .select({ id: shops.id, ofnInstance: shops.ofnInstance })
      .from(shops)
      .where(eq(shops.id, shopId))
      .limit(1);
    if (!shop) throw new AppError("NOT_FOUND", "shop not found");
    await recordAudit(tx as unknown as Db, null, "shop.deleted", { shopId, ofnInstance: shop.ofnInstance });
    await tx.delete(shops).where(eq(shops.id, shopId));
  });
}

/** Forgets the provider key and audience; the shop's OFN side and history stay. */
export async function disconnectProvider(db: Db, shopId: string): Promise<boolean> {
  const removed = await db
    .delete(providerConnections)
    .where(eq(providerConnections.shopId, shopId))
    .returning({ provider: providerConnections.provider });
  if (removed[0]) await recordAudit(db, shopId, "provider.disconnected", { provider: removed[0].provider });
  return removed.length > 0;
}
