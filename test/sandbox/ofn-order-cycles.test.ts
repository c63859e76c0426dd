import { describe, expect, it } from "vitest";
import { formatRailsJson } from "../../src/sandbox/ofn/time-format.js";
import { generateApiKey } from "../../src/sandbox/ofn.js";
import { useWebhookHarness } from "./ofn-webhook-harness.js";

const { received, newSim, owner, url } = useWebhookHarness();

describe("re-opening and OFN's silent cases", () => {
  it("fires again with a new id and a later opened_at when the open time moves later", async () => {
    const sim = newSim();
    const shop = owner(sim, "/ok/reopen");
    const first = sim.openOrderCycle({ name: "OC", coordinatorId: shop.enterpriseId });
    const later = new Date(Date.now() + 3_600_000);
    const second = sim.reopenOrderCycle(first.orderCycleId, { ordersOpenAt: later });
    await sim.flushWebhooks();
    const [a, b] = [first.deliveries[0]!.body, second.deliveries[0]!.body];
    expect(b.id).not.toBe(a.id);
    expect(b.data.id).toBe(a.data.id);
    expect(Date.parse(String(b.data.opened_at))).toBeGreaterThan(Date.parse(String(a.data.opened_at)));
    expect(b.data.orders_open_at).toBe(formatRailsJson(later, "Europe/Paris"));
    const earlier = sim.reopenOrderCycle(first.orderCycleId, {
      ordersOpenAt: new Date(later.getTime() - 60_000),
    });
    expect(earlier.deliveries).toEqual([]);
  });

  it("never fires for a cycle whose open time is more than an hour before the opening", () => {
    const sim = newSim();
    const shop = owner(sim, "/ok/backdated");
    const result = sim.openOrderCycle({
      name: "OC",
      coordinatorId: shop.enterpriseId,
      ordersOpenAt: new Date("2026-01-01T08:00:00Z"),
      openedAt: new Date("2026-01-01T09:30:00Z"),
    });
    expect(result.deliveries).toEqual([]);
    expect(result.skipped).toMatch(/more than an hour/);
  });

  it("sends OFN's payment.completed test payload with Ruby floats", async () => {
    const sim = newSim();
    const shop = owner(sim, null);
    const delivery = sim.sendTestWebhook(shop.userId, `${url()}/ok/payments`);
    await sim.flushWebhooks();
    expect(received[0]!.body.event).toBe("payment.completed");
    expect(delivery.rawBody).toContain('"amount":0.0,"state":"completed"');
    expect(delivery.rawBody).toContain('"price":20.0');
    expect(delivery.body.data).toMatchObject({ enterprise: { name: "TEST Enterprise" } });
  });
});

describe("sandbox HTTP controls and shutdown", () => {
  it("registers an endpoint and opens a cycle over HTTP", async () => {
    const sim = newSim();
    const key = generateApiKey();
    sim.addUser({ apiKey: key, enterprises: [{ id: 900, name: "Hub", permalink: "hub" }] });
    const post = (path: string, body: unknown) =>
      sim.app.request(path, { method: "POST", body: JSON.stringify(body) });
    expect(
      (await post("/__sandbox/webhook-endpoints", { apiKey: key, url: `${url()}/ok/http` })).status,
    ).toBe(200);
    const opened = await post("/__sandbox/order-cycles", {
      name: "Over HTTP",
      coordinatorId: 900,
      ordersOpenAt: "2026-03-02T08:00:00+01:00",
      openedAt: "2026-03-02T08:03:00+01:00",
    });
    expect(opened.status).toBe(201);
    await sim.flushWebhooks();
    expect(received[0]!.body).toMatchObject({
      at: "2026-03-02 08:03:00 +0100",
      data: { orders_open_at: "2026-03-02T08:00:00.000+01:00", opened_at: "2026-03-02T08:03:00.000+01:00" },
    });
    const state = (await (await sim.app.request("/__sandbox/state")).json()) as {
      deliveries: Array<{ done: boolean; attempts: unknown[] }>;
    };
    expect(state.deliveries).toMatchObject([{ done: true, attempts: [{ status: 204 }] }]);
    expect((await post("/__sandbox/order-cycles", { name: "x", coordinatorId: 12345 })).status).toBe(400);
  });

  it("stops pending retries on close so nothing keeps running", async () => {
    const sim = newSim({ webhookTimeScale: 1 });
    const shop = owner(sim, "/fail-99/closed");
    const [delivery] = sim.openOrderCycle({ name: "OC", coordinatorId: shop.enterpriseId }).deliveries;
    await sim.flushWebhooks();
    expect(delivery!.nextAttemptAt).not.toBeNull();
    sim.close();
    await sim.flushWebhooks({ includeRetries: true });
    expect(delivery!.attempts).toHaveLength(1);
  });
});
