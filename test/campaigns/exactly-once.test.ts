import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDeliveries } from "../../src/campaigns/dashboard.js";
import { createTestApp, type TestApp } from "../support/app.js";
import {
  campaignsOf,
  deliveriesOf,
  insertShop,
  nextCycleId,
  nextEnterpriseId,
  openedBody,
  post,
} from "./support.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const statusOf = async (response: Response) => ((await response.json()) as { status: string }).status;

describe("one campaign per shop and opening", () => {
  it("absorbs OFN's retry of the same delivery id", async () => {
    const shop = await insertShop(t.database.db);
    const body = openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! });
    expect(await statusOf(await post(t.app)(shop.token, body))).toBe("accepted");
    expect(await statusOf(await post(t.app)(shop.token, body))).toBe("duplicate");
    expect(await campaignsOf(t.database.db, shop.shopId, "announcement")).toHaveLength(1);
    const [delivery] = await deliveriesOf(t.database.db, shop.shopId);
    expect(delivery).toMatchObject({ receivedCount: 2, outcome: "accepted" });
  });

  it("absorbs the second owner's delivery of the same opening (another delivery id)", async () => {
    const shop = await insertShop(t.database.db);
    const cycleId = nextCycleId();
    const coordinator = openedBody({ cycleId, coordinatorId: shop.enterpriseIds[0]! });
    const distributor = { ...coordinator, id: crypto.randomUUID() };
    expect(await statusOf(await post(t.app)(shop.token, coordinator))).toBe("accepted");
    expect(await statusOf(await post(t.app)(shop.token, distributor))).toBe("duplicate");
    expect(await campaignsOf(t.database.db, shop.shopId, "announcement")).toHaveLength(1);
    expect((await deliveriesOf(t.database.db, shop.shopId)).map((d) => d.outcome).sort()).toEqual([
      "accepted",
      "duplicate",
    ]);
  });

  it("makes one campaign out of 20 identical deliveries arriving at once", async () => {
    const shop = await insertShop(t.database.db);
    const body = openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! });
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(t.app)(shop.token, body)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const statuses = await Promise.all(responses.map(statusOf));
    expect(statuses.filter((s) => s === "accepted")).toHaveLength(1);
    expect(statuses.filter((s) => s === "duplicate")).toHaveLength(19);
    expect(await campaignsOf(t.database.db, shop.shopId, "announcement")).toHaveLength(1);
    const [delivery] = await deliveriesOf(t.database.db, shop.shopId);
    expect(delivery?.receivedCount).toBe(20);
  });

  it("makes one campaign out of two owners' deliveries racing each other", async () => {
    const shop = await insertShop(t.database.db);
    const body = openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! });
    const bodies = Array.from({ length: 10 }, (_, i) =>
      i % 2 ? { ...body, id: `other-owner-${body.id}` } : body,
    );
    const responses = await Promise.all(bodies.map((b) => post(t.app)(shop.token, b)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(await campaignsOf(t.database.db, shop.shopId, "announcement")).toHaveLength(1);
  });
});

describe("re-openings", () => {
  const reopen = async (announceReopenings: boolean) => {
    const shop = await insertShop(t.database.db, { campaigns: { announceReopenings } });
    const cycleId = nextCycleId();
    const coordinatorId = shop.enterpriseIds[0]!;
    const first = openedBody({ cycleId, coordinatorId, openedAt: "2026-03-02T09:00:12.000+01:00" });
    const later = openedBody({ cycleId, coordinatorId, openedAt: "2026-03-03T09:00:07.000+01:00" });
    await post(t.app)(shop.token, first);
    const status = await statusOf(await post(t.app)(shop.token, later));
    return { shop, status, rows: await campaignsOf(t.database.db, shop.shopId, "announcement"), first };
  };

  it("are not announced unless the shop turned 'announce re-openings' on", async () => {
    const { shop, status, rows } = await reopen(false);
    expect(status).toBe("ignored");
    expect(rows).toHaveLength(1);
    const deliveries = await listDeliveries({ db: t.database.db }, shop.shopId, { locale: "en" });
    expect(deliveries.map((d) => d.outcome)).toContain("not_announced:reopening_off");
    expect(deliveries.map((d) => d.label)).toContain(
      'Re-opening not announced ("announce re-openings" is off)',
    );
  });

  it("get their own campaign when the shop announces re-openings", async () => {
    const { status, rows } = await reopen(true);
    expect(status).toBe("accepted");
    expect(rows.map((r) => r.openedAt.toISOString()).sort()).toEqual([
      "2026-03-02T08:00:12.000Z",
      "2026-03-03T08:00:07.000Z",
    ]);
  });

  it("ignore a late retry of the earlier opening once the later one is known", async () => {
    const { shop, first } = await reopen(true);
    const lateRetry = { ...first, id: crypto.randomUUID() };
    expect(await statusOf(await post(t.app)(shop.token, lateRetry))).toBe("duplicate");
    const stale = openedBody({
      cycleId: first.data.id,
      coordinatorId: first.data.coordinator_id,
      openedAt: "2026-03-01T09:00:00.000+01:00",
    });
    expect(await statusOf(await post(t.app)(shop.token, stale))).toBe("ignored");
    expect(await campaignsOf(t.database.db, shop.shopId, "announcement")).toHaveLength(2);
  });
});

describe("which enterprises' cycles are announced", () => {
  const deliver = async (shop: Awaited<ReturnType<typeof insertShop>>, coordinatorId: number) => {
    const status = await statusOf(
      await post(t.app)(shop.token, openedBody({ cycleId: nextCycleId(), coordinatorId })),
    );
    const rows = await campaignsOf(t.database.db, shop.shopId, "announcement");
    return {
      status,
      details: rows.map((r) => r.details as { enterpriseId: number; viaDistributor: boolean }),
    };
  };

  it("announces its own coordinated cycles only where the enterprise has 'announce cycles' on", async () => {
    const shop = await insertShop(t.database.db, {
      enterprises: [{ announceCycles: false }, { announceCycles: true }],
    });
    expect((await deliver(shop, shop.enterpriseIds[0]!)).status).toBe("ignored");
    const second = await deliver(shop, shop.enterpriseIds[1]!);
    expect(second.status).toBe("accepted");
    expect(second.details).toEqual([
      expect.objectContaining({ enterpriseId: shop.enterpriseIds[1], viaDistributor: false }),
    ]);
  });

  it("announces a distributed cycle (someone else's coordinator) under its first announcing enterprise", async () => {
    const shop = await insertShop(t.database.db, {
      enterprises: [{ announceCycles: false }, { announceCycles: true }],
    });
    const result = await deliver(shop, nextEnterpriseId());
    expect(result.status).toBe("accepted");
    expect(result.details).toEqual([
      expect.objectContaining({ enterpriseId: shop.enterpriseIds[1], viaDistributor: true }),
    ]);
  });

  it("does not announce an excluded coordinator, nor anything when no enterprise announces", async () => {
    const excluded = nextEnterpriseId();
    const shop = await insertShop(t.database.db, { campaigns: { excludedCoordinatorIds: [excluded] } });
    expect((await deliver(shop, excluded)).status).toBe("ignored");
    const silent = await insertShop(t.database.db, { enterprises: [{ announceCycles: false }] });
    expect((await deliver(silent, nextEnterpriseId())).status).toBe("ignored");
    const [delivery] = await listDeliveries({ db: t.database.db }, silent.shopId, { locale: "en" });
    expect(delivery?.outcome).toBe("not_announced:no_enterprise_announces");
  });

  it("records but does not announce when the shop turned announcements off", async () => {
    const shop = await insertShop(t.database.db, { campaigns: { enabled: false } });
    expect((await deliver(shop, shop.enterpriseIds[0]!)).status).toBe("ignored");
    expect(await deliveriesOf(t.database.db, shop.shopId)).toHaveLength(1);
  });
});

describe("last call", () => {
  it("is planned hours before closing and replaced when the cycle re-opens with another closing", async () => {
    const shop = await insertShop(t.database.db, {
      campaigns: { lastCallEnabled: true, lastCallHoursBefore: 6 },
    });
    const cycleId = nextCycleId();
    const coordinatorId = shop.enterpriseIds[0]!;
    const closeAt = new Date(Date.now() + 3 * 86_400_000);
    await post(t.app)(
      shop.token,
      openedBody({
        cycleId,
        coordinatorId,
        openedAt: new Date().toISOString(),
        closeAt: closeAt.toISOString(),
      }),
    );
    const [first] = await campaignsOf(t.database.db, shop.shopId, "last_call");
    expect(first?.status).toBe("pending");
    expect(first?.runAt.getTime()).toBe(closeAt.getTime() - 6 * 3_600_000);

    const newClose = new Date(closeAt.getTime() + 86_400_000);
    await post(t.app)(
      shop.token,
      openedBody({
        cycleId,
        coordinatorId,
        openedAt: new Date(Date.now() + 1_000).toISOString(),
        closeAt: newClose.toISOString(),
      }),
    );
    const rows = await campaignsOf(t.database.db, shop.shopId, "last_call");
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r]));
    expect(rows).toHaveLength(2);
    expect(byStatus.cancelled?.id).toBe(first?.id);
    expect(byStatus.cancelled?.errorCode).toBe("REOPENED");
    expect(byStatus.pending?.runAt.getTime()).toBe(newClose.getTime() - 6 * 3_600_000);
  });

  it("is kept when the cycle re-opens with the same closing time", async () => {
    const shop = await insertShop(t.database.db, { campaigns: { lastCallEnabled: true } });
    const cycleId = nextCycleId();
    const coordinatorId = shop.enterpriseIds[0]!;
    const closeAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await post(t.app)(
      shop.token,
      openedBody({ cycleId, coordinatorId, openedAt: new Date().toISOString(), closeAt }),
    );
    await post(t.app)(
      shop.token,
      openedBody({ cycleId, coordinatorId, openedAt: new Date(Date.now() + 1_000).toISOString(), closeAt }),
    );
    const rows = await campaignsOf(t.database.db, shop.shopId, "last_call");
    expect(rows.map((r) => r.status)).toEqual(["pending"]);
  });
});
