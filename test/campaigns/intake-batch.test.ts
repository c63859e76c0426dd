/**
 * Deliveries recorded in one batch must come out exactly as if they had arrived one by one:
 * copies answered "duplicate", two owners of one opening making one campaign, a re-opening in
 * the same batch planned after the first opening, an ignored event, an unknown token; and one
 * delivery the database refuses must not take the others down with it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IntakeItem, IntakeQueue, recordDeliveries } from "../../src/campaigns/intake.js";
import { type ParsedDelivery, parseDelivery } from "../../src/campaigns/payload.js";
import { hashWebhookToken } from "../../src/campaigns/tokens.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { campaignsOf, deliveriesOf, insertShop, nextCycleId, openedBody } from "./support.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function item(token: string, body: unknown): IntakeItem {
  const parsed = parseDelivery(body);
  if (!parsed.ok) throw new Error(parsed.message);
  return { shop: { tokenHash: hashWebhookToken(token) }, delivery: parsed.delivery, payload: body };
}

describe("a batch of deliveries", () => {
  it("answers each one as if it had come alone", async () => {
    const db = t.database.db;
    const quiet = await insertShop(db);
    const reopens = await insertShop(db, { campaigns: { announceReopenings: true } });
    const cycle = nextCycleId();
    const first = openedBody({
      cycleId: cycle,
      coordinatorId: quiet.enterpriseIds[0]!,
      openedAt: "2026-03-02T09:00:00.000Z",
    });
    const secondOwner = { ...first, id: crypto.randomUUID() };
    const reopenCycle = nextCycleId();
    const opening = openedBody({
      cycleId: reopenCycle,
      coordinatorId: reopens.enterpriseIds[0]!,
      openedAt: "2026-03-02T09:00:00.000Z",
    });
    const reopening = openedBody({
      cycleId: reopenCycle,
      coordinatorId: reopens.enterpriseIds[0]!,
      openedAt: "2026-03-03T09:00:00.000Z",
    });
    const test = {
      id: crypto.randomUUID(),
      event: "payment.completed",
      at: "2026-03-02 09:00:12 +0100",
      data: {},
    };

    const results = await recordDeliveries({ db }, [
      item(quiet.token, first),
      item(quiet.token, first),
      item(quiet.token, secondOwner),
      item(reopens.token, reopening),
      item(reopens.token, opening),
      item(quiet.token, test),
      item("x".repeat(43), first),
    ]);

    expect(results.map((r) => r?.status)).toEqual([
      "accepted",
      "duplicate",
      "duplicate",
      "accepted",
      // The earlier opening arrived after the later one (OFN retries): superseded, as alone.
      "ignored",
      "ignored",
      undefined,
    ]);
    expect(results[4]?.outcome).toBe("not_announced:superseded");
    expect(await campaignsOf(db, quiet.shopId, "announcement")).toHaveLength(1);
    expect(await campaignsOf(db, reopens.shopId, "announcement")).toHaveLength(1);
    const stored = await deliveriesOf(db, quiet.shopId);
    const byId = new Map(stored.map((d) => [d.deliveryId, d]));
    expect(byId.get(first.id)).toMatchObject({ outcome: "accepted", receivedCount: 2 });
    expect(byId.get(secondOwner.id)?.outcome).toBe("duplicate");
    expect(byId.get(test.id)?.outcome).toBe("ignored");
  });

  it("plans a re-opening in the same batch after the opening it follows", async () => {
    const db = t.database.db;
    const shop = await insertShop(db, { campaigns: { announceReopenings: false } });
    const cycle = nextCycleId();
    const at = (day: number) => `2026-03-0${day}T09:00:00.000Z`;
    const opening = openedBody({ cycleId: cycle, coordinatorId: shop.enterpriseIds[0]!, openedAt: at(2) });
    const reopening = openedBody({ cycleId: cycle, coordinatorId: shop.enterpriseIds[0]!, openedAt: at(4) });
    const results = await recordDeliveries({ db }, [item(shop.token, opening), item(shop.token, reopening)]);
    expect(results.map((r) => r?.outcome)).toEqual(["accepted", "not_announced:reopening_off"]);
    expect(await campaignsOf(db, shop.shopId, "announcement")).toHaveLength(1);
  });

  it("fails only the delivery the database refuses, and records the others", async () => {
    const db = t.database.db;
    const shop = await insertShop(db);
    const good = openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! });
    const bad = item(
      shop.token,
      openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! }),
    );
    // An order cycle id past PostgreSQL's integer: refused by the database, not by the parser.
    (bad.delivery as Extract<ParsedDelivery, { orderCycle: object }>).orderCycle.id = 2 ** 40;
    const queue = new IntakeQueue({ db, logger: t.logs.logger }, 1);
    const settled = await Promise.allSettled([
      queue.submit(item(shop.token, good)),
      queue.submit(bad),
      queue.submit(item(shop.token, good)),
    ]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value?.status : "error"))).toEqual([
      "accepted",
      "error",
      "duplicate",
    ]);
    expect(await campaignsOf(db, shop.shopId, "announcement")).toHaveLength(1);
    // The first went alone; the other two as one batch, refused whole, then one by one: counted and logged.
    expect(queue.stats).toMatchObject({ batches: 2, split: 1 });
    const warned = t.logs.lines.filter((line) => line.includes("delivery batch refused whole"));
    expect(warned).toHaveLength(1);
  });

  // On PostgreSQL (CI runs it there too) two batches are in the database at once: without the
  // lock order in insertCampaigns this failed 2 of 3 runs with a split batch. On PGlite, one
  // connection, it checks the outcome only.
  it("never deadlocks two batches in flight over copies of a delivery and two owners of an opening", async () => {
    const db = t.database.db;
    const shops = await Promise.all(Array.from({ length: 200 }, () => insertShop(db)));
    const items = shops.flatMap((shop) => {
      const coordinator = openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! });
      const distributor = { ...coordinator, id: crypto.randomUUID() };
      // Each owner's delivery five times (OFN retrying), as in the webhook benchmark.
      return [coordinator, distributor].flatMap((body) => [1, 2, 3, 4, 5].map(() => item(shop.token, body)));
    });
    const queue = new IntakeQueue({ db }, 2, 250);
    for (let round = 0; round < 2; round++) {
      const shuffled = [...items].sort(() => Math.random() - 0.5);
      const results = await Promise.all(shuffled.map((i) => queue.submit(i)));
      expect(results.every((r) => r !== undefined)).toBe(true);
    }
    expect(queue.stats.batches).toBeGreaterThan(6);
    expect(queue.stats.split).toBe(0);
    for (const shop of shops) expect(await campaignsOf(db, shop.shopId, "announcement")).toHaveLength(1);
  });

  it("gathers what arrives while a batch is in the database into the next one", async () => {
    const db = t.database.db;
    const shops = await Promise.all(Array.from({ length: 30 }, () => insertShop(db)));
    const queue = new IntakeQueue({ db }, 1);
    const results = await Promise.all(
      shops.map((shop) =>
        queue.submit(
          item(shop.token, openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! })),
        ),
      ),
    );
    expect(results.every((r) => r?.status === "accepted")).toBe(true);
    // The first goes alone at once; the other 29 queue behind it and leave together.
    expect(queue.stats).toEqual({ batches: 2, deliveries: 30, split: 0 });
    for (const shop of shops) expect(await campaignsOf(db, shop.shopId, "announcement")).toHaveLength(1);
  });
});
