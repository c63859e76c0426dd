import { describe, expect, it } from "vitest";
import { formatRailsJson, formatRailsToS } from "../../src/sandbox/ofn/time-format.js";
import { generateApiKey } from "../../src/sandbox/ofn.js";
import { AT, ISO_MS, type Received, useWebhookHarness } from "./ofn-webhook-harness.js";

const { received, newSim, owner, url, peakConcurrent } = useWebhookHarness();

describe("order_cycle.opened deliveries", () => {
  it("sends one job per owner endpoint, with OFN's headers, escaping and time formats", async () => {
    const sim = newSim();
    const coordinator = owner(sim, "/ok/coordinator", "Fruits & <Légumes>");
    const distributor = owner(sim, "/ok/distributor");
    // A manager who does not own the enterprise gets nothing, and owners are de-duplicated.
    sim.addUser({
      apiKey: generateApiKey(),
      enterprises: [{ id: coordinator.enterpriseId, name: "x", permalink: "x" }],
    }).webhookUrl = `${url()}/ok/manager`;
    const { orderCycleId, deliveries } = sim.openOrderCycle({
      name: "Week 10",
      coordinatorId: coordinator.enterpriseId,
      distributorIds: [coordinator.enterpriseId, distributor.enterpriseId],
    });
    await sim.flushWebhooks();
    expect(deliveries).toHaveLength(2);
    expect(received.map((r) => r.path).sort()).toEqual(["/ok/coordinator", "/ok/distributor"]);
    const [a, b] = received as [Received, Received];
    expect(a.body.id).not.toBe(b.body.id);
    expect(a.headers).toMatchObject({
      "user-agent": "openfoodnetwork_webhook/1.0",
      "content-type": "application/json",
    });
    expect(a.text).toContain('"coordinator_name":"Fruits \\u0026 \\u003cLégumes\\u003e"');
    expect(a.body).toMatchObject({
      event: "order_cycle.opened",
      data: {
        id: orderCycleId,
        name: "Week 10",
        coordinator_id: coordinator.enterpriseId,
        coordinator_name: "Fruits & <Légumes>",
      },
    });
    expect(Object.keys(a.body.data)).toEqual([
      "id",
      "name",
      "orders_open_at",
      "opened_at",
      "orders_close_at",
      "coordinator_id",
      "coordinator_name",
    ]);
    expect(a.body.at).toMatch(AT);
    expect(a.body.data.opened_at).toMatch(ISO_MS);
    expect(Date.parse(a.body.at.replace(" ", "T").replace(" ", ""))).toBe(
      Math.floor(Date.parse(String(a.body.data.opened_at)) / 1000) * 1000,
    );
  });

  it("formats times in the instance zone like Rails (to_s for at, as_json for data)", () => {
    const winter = new Date("2026-03-02T07:00:00Z");
    expect(formatRailsToS(winter, "Europe/Paris")).toBe("2026-03-02 08:00:00 +0100");
    expect(formatRailsJson(winter, "Europe/Paris")).toBe("2026-03-02T08:00:00.000+01:00");
    const summer = new Date("2026-07-01T06:30:15.250Z");
    expect(formatRailsJson(summer, "Europe/Paris")).toBe("2026-07-01T08:30:15.250+02:00");
    expect(formatRailsToS(new Date("2023-02-07T06:12:45Z"), "Australia/Melbourne")).toBe(
      "2023-02-07 17:12:45 +1100",
    );
    expect(formatRailsToS(winter, "UTC")).toBe("2026-03-02 07:00:00 UTC");
    expect(formatRailsJson(winter, "UTC")).toBe("2026-03-02T07:00:00.000Z");
    expect(formatRailsToS(winter, "Europe/London")).toBe("2026-03-02 07:00:00 +0000");
    expect(formatRailsToS(new Date("2026-01-01T12:00:00Z"), "America/St_Johns")).toBe(
      "2026-01-01 08:30:00 -0330",
    );
  });

  it("retries a failed delivery with the same id until it succeeds", async () => {
    const sim = newSim();
    const shop = owner(sim, "/fail-1/flaky");
    const [delivery] = sim.openOrderCycle({ name: "OC", coordinatorId: shop.enterpriseId }).deliveries;
    await sim.flushWebhooks({ includeRetries: true });
    expect(received.map((r) => r.body.id)).toEqual([delivery!.id, delivery!.id]);
    expect(received[0]!.text).toBe(received[1]!.text);
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 204]);
    expect(delivery!).toMatchObject({ done: true, gaveUp: false });
  });

  it("counts a redirect as a failure and does not follow it", async () => {
    const sim = newSim();
    const shop = owner(sim, "/redirect-once/hook");
    const [delivery] = sim.openOrderCycle({ name: "OC", coordinatorId: shop.enterpriseId }).deliveries;
    await sim.flushWebhooks({ includeRetries: true });
    expect(delivery!.attempts.map((a) => a.status)).toEqual([302, 204]);
    expect(received.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /redirect-once/hook",
      "POST /redirect-once/hook",
    ]);
  });

  it("treats a timeout as a failure", async () => {
    const sim = newSim({ webhookTimeoutMs: 300 });
    const shop = owner(sim, "/hang-once/hook");
    const [delivery] = sim.openOrderCycle({ name: "OC", coordinatorId: shop.enterpriseId }).deliveries;
    await sim.flushWebhooks({ includeRetries: true });
    expect(delivery!.attempts.map((a) => a.error ?? a.status)).toEqual(["Faraday::TimeoutError", 204]);
  });

  it("gives up after 25 retries", async () => {
    const sim = newSim({ webhookTimeScale: 0.000001 });
    const shop = owner(sim, "/fail-99/dead");
    const [delivery] = sim.openOrderCycle({ name: "OC", coordinatorId: shop.enterpriseId }).deliveries;
    await sim.flushWebhooks({ includeRetries: true });
    expect(delivery!.attempts).toHaveLength(26);
    expect(delivery!).toMatchObject({ done: false, gaveUp: true, nextAttemptAt: null });
    expect(new Set(received.map((r) => r.body.id))).toEqual(new Set([delivery!.id]));
  });

  it("runs at most five deliveries at once", async () => {
    const sim = newSim();
    const shops = Array.from({ length: 8 }, (_, i) => owner(sim, `/slow/${i}`));
    const { deliveries } = sim.openOrderCycle({
      name: "OC",
      coordinatorId: shops[0]!.enterpriseId,
      distributorIds: shops.map((s) => s.enterpriseId),
    });
    await sim.flushWebhooks();
    expect(deliveries).toHaveLength(8);
    expect(received).toHaveLength(8);
    expect(peakConcurrent()).toBe(5);
  });
});
