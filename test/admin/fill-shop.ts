/** One row in every table that belongs to a shop, to check that deletion takes them all and nothing else. */
import { randomBytes } from "node:crypto";
import { count, eq } from "drizzle-orm";
import type { Db } from "../../src/db/client.js";
import {
  auditLog,
  campaigns,
  campaignTemplates,
  contacts,
  providerConnections,
  sessions,
  shopEnterprises,
  shops,
  syncRuns,
  webhookDeliveries,
} from "../../src/db/schema/index.js";

export const SHOP_TABLES = {
  shops: { table: shops, column: shops.id },
  enterprises: { table: shopEnterprises, column: shopEnterprises.shopId },
  providerConnections: { table: providerConnections, column: providerConnections.shopId },
  contacts: { table: contacts, column: contacts.shopId },
  syncRuns: { table: syncRuns, column: syncRuns.shopId },
  campaigns: { table: campaigns, column: campaigns.shopId },
  webhookDeliveries: { table: webhookDeliveries, column: webhookDeliveries.shopId },
  campaignTemplates: { table: campaignTemplates, column: campaignTemplates.shopId },
  sessions: { table: sessions, column: sessions.shopId },
  auditLog: { table: auditLog, column: auditLog.shopId },
} as const;

export async function fillShop(db: Db, shopId: string): Promise<void> {
  await db.insert(shopEnterprises).values({ shopId, enterpriseId: 7, name: "Ferme" });
  await db
    .insert(providerConnections)
    .values({ shopId, provider: "mailchimp", apiKeySealed: "v1.x", apiKeyLast4: "us21" });
  await db.insert(contacts).values({ shopId, email: "ann@example.org" });
  await db.insert(syncRuns).values({ shopId, status: "succeeded", counts: { new: 1 } });
  await db
    .insert(campaigns)
    .values({ shopId, orderCycleId: 1, openedAt: new Date(), orderCycle: { name: "OC" } });
  await db
    .insert(webhookDeliveries)
    .values({ shopId, deliveryId: "d-1", event: "payment.completed", payload: {}, outcome: "ignored" });
  await db.insert(campaignTemplates).values({ shopId, subject: "Hello", body: "Body" });
  await db.insert(sessions).values({
    idHash: randomBytes(32).toString("hex"),
    kind: "shop",
    shopId,
    csrfToken: "t",
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  await db.insert(auditLog).values({ shopId, actor: "shop", action: "setup.consent" });
}

/** Rows per shop table for one shop. */
export async function rowCounts(db: Db, shopId: string): Promise<Record<keyof typeof SHOP_TABLES, number>> {
  const entries = await Promise.all(
    Object.entries(SHOP_TABLES).map(async ([name, { table, column }]) => {
      const [row] = await db.select({ n: count() }).from(table).where(eq(column, shopId));
      return [name, Number(row?.n ?? 0)] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<keyof typeof SHOP_TABLES, number>;
}
