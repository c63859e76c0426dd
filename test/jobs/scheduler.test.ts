import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shops, syncRuns, webhookDeliveries } from "../../src/db/schema/index.js";
import { pruneHistory } from "../../src/jobs/retention.js";
import { enqueueDueSyncs, planNextSync } from "../../src/jobs/scheduler.js";
import { syncSettingsSchema } from "../../src/shops/settings.js";
import { nextSyncAt, spreadOffsetMinutes } from "../../src/sync/schedule.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

const newShop = () => {
  const id = crypto.randomUUID();
  return {
    id,
    ofnInstance: "https://ofn.test",
    ofnKeyLookup: `l-${id}`,
    ofnApiKeySealed: "v1.a.b.c",
    ofnApiKeyLast4: "abcd",
  };
};

describe("schedule", () => {
  it("spreads 1,000 daily shops over the day instead of starting them together", () => {
    const minutes = new Map<number, number>();
    for (let i = 0; i < 1_000; i++) {
      const minute = spreadOffsetMinutes(crypto.randomUUID(), 24 * 60);
      minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
    }
    expect(minutes.size).toBeGreaterThan(400);
    expect(Math.max(...minutes.values())).toBeLessThan(10);
  });

  it("computes the next run from the interval or a cron expression in the shop's time zone", () => {
    const after = new Date("2026-03-02T10:00:00Z");
    const daily = nextSyncAt("shop-1", syncSettingsSchema.parse({}), "Europe/Paris", after);
    expect(daily.getTime()).toBeGreaterThan(after.getTime());
    expect(daily.getTime() - after.getTime()).toBeLessThanOrEqual(24 * 3_600_000);
    const cron = nextSyncAt(
      "shop-1",
      syncSettingsSchema.parse({ cron: "30 6 * * *" }),
      "Europe/Paris",
      new Date(),
    );
    const parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Paris",
      hour: "2-digit",
      minute: "2-digit",
    }).format(cron);
    expect(parts).toBe("06:30");
  });
});

describe("scheduler tick and retention", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it("enqueues each due shop once even when replicas tick together", async () => {
    const { db } = database;
    const due = [newShop(), newShop(), newShop()];
    for (const shop of due)
      await db.insert(shops).values({ ...shop, nextSyncAt: new Date(Date.now() - 60_000) });
    const later = newShop();
    await db.insert(shops).values({ ...later, nextSyncAt: new Date(Date.now() + 3_600_000) });
    await Promise.all([enqueueDueSyncs(db), enqueueDueSyncs(db), enqueueDueSyncs(db)]);
    for (const shop of due) {
      const runs = await db.select().from(syncRuns).where(eq(syncRuns.shopId, shop.id));
      expect(runs).toHaveLength(1);
      expect(runs[0]?.trigger).toBe("schedule");
      const [row] = await db.select().from(shops).where(eq(shops.id, shop.id));
      expect(row!.nextSyncAt!.getTime()).toBeGreaterThan(Date.now());
    }
    expect(await db.select().from(syncRuns).where(eq(syncRuns.shopId, later.id))).toHaveLength(0);
    expect(await enqueueDueSyncs(db)).toBe(0);
  });

  it("plans a shop's first sync", async () => {
    const shop = newShop();
    await database.db.insert(shops).values(shop);
    const next = await planNextSync(database.db, shop.id);
    expect(next!.getTime()).toBeGreaterThan(Date.now());
  });

  it("prunes old deliveries and runs but keeps recent ones", async () => {
    const { db } = database;
    const shop = newShop();
    await db.insert(shops).values(shop);
    const old = new Date(Date.now() - 100 * 86_400_000);
    await db.insert(webhookDeliveries).values([
      {
        shopId: shop.id,
        deliveryId: "old",
        event: "x",
        payload: {},
        outcome: "ignored",
        receivedAt: old,
        lastReceivedAt: old,
      },
      { shopId: shop.id, deliveryId: "new", event: "x", payload: {}, outcome: "ignored" },
    ]);
    await db.insert(syncRuns).values({ shopId: shop.id, status: "succeeded", queuedAt: old });
    const pruned = await pruneHistory(db, 90);
    expect(pruned.deliveries).toBeGreaterThanOrEqual(1);
    expect(pruned.syncRuns).toBeGreaterThanOrEqual(1);
    const left = await db
      .select({ id: webhookDeliveries.deliveryId })
      .from(webhookDeliveries)
      .where(sql`${webhookDeliveries.shopId} = ${shop.id}`);
    expect(left.map((r) => r.id)).toEqual(["new"]);
  });
});
