/**
 * The real bridge process killed with SIGKILL at random moments while OFN's webhooks arrive and
 * campaigns are created and sent, 20 times, then started again. OFN's behaviour is reproduced:
 * a delivery that got no 2xx is sent again until it gets one. Afterwards every delivery answered
 * 2xx is in the database, and each opening has exactly one campaign in Mailchimp or Brevo, sent
 * once to its audience (DESIGN.md invariants 2 and 3).
 */
import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookDeliveries } from "../../src/db/schema/index.js";
import { providerCampaigns } from "../campaigns/provider-world.js";
import { openedBody } from "../campaigns/support.js";
import type { World } from "../support/world.js";
import {
  createProcessWorld,
  expireLeases,
  type ProcessShop,
  type ProcessWorld,
  seededRandom,
  waitFor,
} from "./process-world.js";

const TRIALS = 20;
/** Deliveries for a shop that announces nothing, sent through each kill window: all must survive if answered. */
const BURST = 8;
const SEED = Date.now() % 1_000_000;
const PROVIDERS = ["mailchimp", "brevo"] as const;

interface CampaignSummary {
  id: string;
  status: string;
  orderCycleId: number;
  reason: string | null;
}

let cycleSeq = 40_000;

describe("SIGKILL during webhooks and campaign sending", () => {
  let world: ProcessWorld;
  let burstShop: ProcessShop;
  let references: Record<(typeof PROVIDERS)[number], ProcessShop>;
  const pairs: Array<Record<(typeof PROVIDERS)[number], ProcessShop>> = [];
  const subscribers = (n: number) => [`reader-a-${n}@example.org`, `reader-b-${n}@example.org`];

  beforeAll(async () => {
    // Latency stretches the step chain (create, content, checklist, send) over a few hundred ms.
    world = await createProcessWorld({ latencyMs: 20 });
    const seeds = Array.from({ length: TRIALS + 1 }, (_, i) =>
      PROVIDERS.map((provider) => ({ provider, subscribers: subscribers(i) })),
    ).flat();
    const shops = await world.addShops([
      ...seeds,
      { provider: "mailchimp" as const, settings: { campaigns: { enabled: false } } },
    ]);
    references = { mailchimp: shops[0]!, brevo: shops[1]! };
    for (let i = 1; i <= TRIALS; i++) pairs.push({ mailchimp: shops[2 * i]!, brevo: shops[2 * i + 1]! });
    burstShop = shops.at(-1)!;
    await world.start();
  }, 120_000);
  afterAll(() => world?.close());

  /** One POST as OFN makes it: the status, or undefined when the connection died with the bridge. */
  const deliver = async (shop: ProcessShop, body: unknown): Promise<number | undefined> => {
    try {
      const res = await fetch(`${world.bridge().url}/webhooks/ofn/${shop.webhookToken}`, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "OpenFoodNetwork" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      return res.status;
    } catch {
      return undefined;
    }
  };
  const opening = (shop: ProcessShop) =>
    openedBody({
      cycleId: ++cycleSeq,
      coordinatorId: shop.enterpriseIds[0]!,
      openedAt: new Date().toISOString(),
      closeAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      deliveryId: randomUUID(),
    });
  const campaignsOf = async (shop: ProcessShop) =>
    (await world.api<{ items: CampaignSummary[] }>(`/api/v1/shops/${shop.shopId}/campaigns`)).body.items;
  const final = (shop: ProcessShop, cycleId: number) =>
    waitFor(`campaign of ${shop.shopId}`, async () => {
      const found = (await campaignsOf(shop)).filter((c) => c.orderCycleId === cycleId);
      return found.length > 0 &&
        found.every((c) => !["pending", "created", "content_set", "cancelling"].includes(c.status))
        ? found
        : undefined;
    });
  const inSimulator = (shop: ProcessShop) => providerCampaigns(world as unknown as World, shop);

  it(`sends each opening once and loses no acknowledged delivery (${TRIALS} kills, seed ${SEED})`, async () => {
    const window: number[] = [];
    for (const provider of PROVIDERS) {
      const started = Date.now();
      const body = opening(references[provider]);
      expect(await deliver(references[provider], body)).toBe(200);
      const [done] = await final(references[provider], body.data.id);
      expect(done?.status, done?.reason ?? "").toBe("sent");
      window.push(Date.now() - started);
    }
    const longest = Math.max(...window);

    const random = seededRandom(SEED);
    const acknowledged: string[] = [];
    const killedAt: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const pair = pairs[trial]!;
      const label = `trial ${trial} (seed ${SEED})`;
      const bodies = { mailchimp: opening(pair.mailchimp), brevo: opening(pair.brevo) };
      const answered: Record<string, number | undefined> = {};
      const sent = PROVIDERS.map(async (provider) => {
        answered[provider] = await deliver(pair[provider], bodies[provider]);
      });
      // One trial in four dies within milliseconds, while the deliveries are being received;
      // the others anywhere in the step chain. A stream of other deliveries runs until the kill.
      const killAfter = trial % 4 === 0 ? random() * 15 : random() * longest * 0.8;
      const burst = Array.from({ length: BURST }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, (killAfter * i) / (BURST - 1)));
        const body =
          i % 2 === 0
            ? { ...opening(burstShop), id: `burst-${trial}-${i}-${randomUUID()}` }
            : {
                id: `burst-${trial}-${i}-${randomUUID()}`,
                event: "payment.completed",
                at: "2026-03-02 09:00:12 +0100",
                data: {},
              };
        if (world.running() && (await deliver(burstShop, body)) === 200) acknowledged.push(body.id);
      });
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      await world.kill();
      await Promise.all([...sent, ...burst]);
      for (const provider of PROVIDERS)
        if (answered[provider] === 200) acknowledged.push(bodies[provider].id);

      const before = await world.withDb(async (db) => {
        await expireLeases(db);
        return PROVIDERS.map(
          (p) =>
            `${p}:${answered[p] === 200 ? "acked" : "unacked"}:${
              inSimulator(pair[p])
                .map((c) => c.status)
                .join("+") || "none"
            }`,
        );
      });
      killedAt.push(...before);
      await world.start();

      for (const provider of PROVIDERS) {
        const shop = pair[provider];
        const body = bodies[provider];
        // OFN sends again what got no 2xx (Sidekiq retries), until it does.
        for (let attempt = 0; answered[provider] !== 200 && attempt < 5; attempt++) {
          answered[provider] = await deliver(shop, body);
        }
        expect(answered[provider], `${label} ${provider}: redelivery`).toBe(200);
        const done = await final(shop, body.data.id);
        expect(
          done.map((c) => c.status),
          `${label} ${provider}: ${done[0]?.reason}`,
        ).toEqual(["sent"]);
        // A late duplicate (OFN timed out on a slow 2xx and retried) changes nothing.
        expect(await deliver(shop, body), `${label} ${provider}: duplicate`).toBe(200);
        const seen = inSimulator(shop);
        expect(
          seen.map((c) => c.status),
          `${label} ${provider}`,
        ).toEqual(["sent"]);
        expect([...seen[0]!.sentTo].sort(), `${label} ${provider}: recipients`).toEqual(
          subscribers(trial + 1),
        );
      }
    }

    // Stopped for the last look at the database (PGlite lets one process in at a time).
    await world.kill();
    const stored = await world.withDb((db) =>
      db
        .select({ deliveryId: webhookDeliveries.deliveryId })
        .from(webhookDeliveries)
        .where(inArray(webhookDeliveries.deliveryId, acknowledged)),
    );
    const missing = acknowledged.filter((id) => !stored.some((row) => row.deliveryId === id));
    expect(missing, "deliveries answered 2xx but not stored").toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(TRIALS * 2);
    // The kills must have cut into campaign work, not only before or after it.
    const during = killedAt.filter((state) => /:acked:(none|draft|save)$/.test(state));
    expect(during.length, killedAt.join(", ")).toBeGreaterThanOrEqual(6);
    for (const pair of pairs)
      for (const provider of PROVIDERS) expect(inSimulator(pair[provider])).toHaveLength(1);
    console.info(
      `kill-campaign (${world.kind}, seed ${SEED}): ${acknowledged.length} deliveries acknowledged; ${summarise(killedAt)}`,
    );
  }, 240_000);
});

function summarise(states: string[]): string {
  const counts = new Map<string, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${state}=${n}`).join(" ");
}
