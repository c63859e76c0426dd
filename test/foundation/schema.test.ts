import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows } from "../../src/db/client.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import * as schema from "../../src/db/schema/index.js";
import { createTestDatabase, type TestDatabase, usingPostgres } from "../support/db.js";

const newShop = (id = crypto.randomUUID()) => ({
  id,
  ofnInstance: "https://ofn.test",
  ofnKeyLookup: `lookup-${id}`,
  ofnApiKeySealed: "v1.x.y.z",
  ofnApiKeyLast4: "wxyz",
});

describe("database schema", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it("removes everything about a shop when the shop is deleted", async () => {
    const { db } = database;
    const shop = newShop();
    await db.insert(schema.shops).values(shop);
    await db.insert(schema.shopEnterprises).values({ shopId: shop.id, enterpriseId: 1, name: "Ferme" });
    await db.insert(schema.providerConnections).values({
      shopId: shop.id,
      provider: "brevo",
      apiKeySealed: "v1.a.b.c",
      apiKeyLast4: "abcd",
    });
    await db.insert(schema.contacts).values({ shopId: shop.id, email: "a@example.org" });
    await db.insert(schema.syncRuns).values({ shopId: shop.id });
    await db.insert(schema.webhookDeliveries).values({
      shopId: shop.id,
      deliveryId: "d1",
      event: "order_cycle.opened",
      payload: {},
      outcome: "accepted",
    });
    await db.insert(schema.campaigns).values({
      shopId: shop.id,
      orderCycleId: 1,
      openedAt: new Date(),
      orderCycle: {},
    });
    await db.insert(schema.campaignTemplates).values({ shopId: shop.id, subject: "s", body: "b" });
    await db.insert(schema.sessions).values({
      idHash: `h-${shop.id}`,
      kind: "shop",
      shopId: shop.id,
      csrfToken: "c",
      expiresAt: new Date(Date.now() + 60_000),
    });
    await db.insert(schema.auditLog).values({ shopId: shop.id, actor: "shop", action: "test" });

    await db.delete(schema.shops).where(eq(schema.shops.id, shop.id));
    for (const table of [
      schema.shopEnterprises,
      schema.providerConnections,
      schema.contacts,
      schema.syncRuns,
      schema.webhookDeliveries,
      schema.campaigns,
      schema.campaignTemplates,
      schema.sessions,
      schema.auditLog,
    ]) {
      const rows = await db.select({ shopId: table.shopId }).from(table).where(eq(table.shopId, shop.id));
      expect(rows).toHaveLength(0);
    }
  });

  it("allows one active sync run per shop, enforced by the database", async () => {
    const { db } = database;
    const shop = newShop();
    await db.insert(schema.shops).values(shop);
    await db.insert(schema.syncRuns).values({ shopId: shop.id, status: "queued" });
    await expect(db.insert(schema.syncRuns).values({ shopId: shop.id, status: "running" })).rejects.toThrow();
    await db.update(schema.syncRuns).set({ status: "succeeded" }).where(eq(schema.syncRuns.shopId, shop.id));
    await db.insert(schema.syncRuns).values({ shopId: shop.id, status: "queued" });
  });

  it("keeps one campaign per shop, order cycle, opening and kind", async () => {
    const { db } = database;
    const shop = newShop();
    await db.insert(schema.shops).values(shop);
    const openedAt = new Date("2026-03-02T07:00:00Z");
    await db.insert(schema.campaigns).values({ shopId: shop.id, orderCycleId: 9, openedAt, orderCycle: {} });
    await expect(
      db.insert(schema.campaigns).values({ shopId: shop.id, orderCycleId: 9, openedAt, orderCycle: {} }),
    ).rejects.toThrow();
    await db.insert(schema.campaigns).values({
      shopId: shop.id,
      orderCycleId: 9,
      openedAt: new Date("2026-03-09T07:00:00Z"),
      orderCycle: {},
    });
  });

  it("stores timestamps with time zone", async () => {
    const rows = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from information_schema.columns
          where table_schema = 'public' and data_type = 'timestamp without time zone'`,
    );
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it("migrates safely when several replicas start at once", async () => {
    const fresh = await createTestDatabase({ migrate: false });
    try {
      // On PostgreSQL three separate pools race; PGlite is one connection, so the same handle thrice.
      const replicas = usingPostgres()
        ? await Promise.all([1, 2, 3].map(() => openDatabase({ url: fresh.url!, poolSize: 2 })))
        : [fresh, fresh, fresh];
      await Promise.all(replicas.map((replica) => migrateDatabase(replica)));
      const rows = await queryRows<{ n: number }>(
        fresh.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(1);
      if (usingPostgres()) await Promise.all(replicas.map((replica) => replica.close()));
    } finally {
      await fresh.close();
    }
  });
});
