/**
 * Three bridge processes on one PostgreSQL database serve 100 shops; one is SIGKILLed while it
 * holds syncs and campaigns. The survivors finish everything: every audience holds exactly its
 * shop's customers, every shop gets one campaign, sent once, and both survivors did their share.
 */
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, queryRows } from "../../src/db/client.js";
import { ACTIVE_STATUSES } from "../../src/jobs/campaign-queue.js";
import {
  accountEmails,
  type FleetShop,
  newEncryptionKey,
  providerCampaigns,
  type Replica,
  type Sims,
  scrapeMetrics,
  seedShops,
  setLatency,
  startFrontProxy,
  startReplicas,
  startSims,
} from "./fleet.js";
import { createServerDatabase, sleep, waitFor } from "./support.js";

const SHOPS = 100;
const MAX_CONCURRENT_SYNCS = 4;
const ADMIN_TOKEN = "replica-test-admin-token-0123456789";
const METRICS_TOKEN = "replica-test-metrics-token";
const activeCampaigns = sql.raw(ACTIVE_STATUSES.map((s) => `'${s}'`).join(", "));
const FINAL: Record<string, string[]> = {
  sync: ["succeeded", "failed"],
  campaign: ["sent", "scheduled", "draft", "failed", "cancelled"],
};

describe("three replicas, one killed midway", () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let sims: Sims;
  let shops: FleetShop[];
  let replicas: Replica[] = [];
  let proxy: Awaited<ReturnType<typeof startFrontProxy>> | undefined;
  let sampler: ReturnType<typeof samplePeak> | undefined;

  beforeAll(async () => {
    database = await createServerDatabase();
    sims = await startSims();
    const encryptionKey = newEncryptionKey();
    shops = await seedShops(database, sims, encryptionKey, {
      shops: SHOPS,
      customersBase: 24,
      customersSpread: 25,
      brevo: (i) => i % 5 === 4,
      partner: (i) => i % 10 === 0,
    });
    replicas = await startReplicas(3, {
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: "4",
      OFN_INSTANCES: sims.ofnUrl,
      MAILCHIMP_BASE_URL: sims.mailchimpBase,
      BREVO_BASE_URL: sims.brevoBase,
      BRIDGE_ENCRYPTION_KEY: encryptionKey.toString("base64"),
      SESSION_SECRET: "s".repeat(40),
      ADMIN_TOKEN,
      METRICS_TOKEN,
      HOST: "127.0.0.1",
      WORKERS: "2",
      MAX_CONCURRENT_SYNCS: String(MAX_CONCURRENT_SYNCS),
      LOG_LEVEL: "info",
    });
    proxy = await startFrontProxy(replicas);
  });

  afterAll(async () => {
    await sampler?.stop();
    await Promise.all(replicas.filter((r) => r.alive).map((r) => r.process.stop("SIGTERM")));
    await proxy?.close();
    await sims?.close();
    await database?.close();
  });

  it("finishes every sync and campaign exactly once on the survivors", async () => {
    const db = database.db;
    // Real services answer in tens of milliseconds: work stays in flight long enough to be cut.
    setLatency(sims, 20);

    // Peak of syncs running at once (live leases) across the three processes, sampled throughout.
    sampler = samplePeak(
      db,
      sql`select count(*)::int as n from sync_runs where status = 'running' and lease_expires_at >= now()`,
    );

    // 1. A sync for every shop, asked of the three processes in turn (the operator's API).
    await inBatches(shops, 10, async (shop) => {
      const replica = replicas[shop.index % 3]!;
      const response = await fetch(`${replica.url}/api/v1/shops/${shop.shopId}/sync`, {
        method: "POST",
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(response.status).toBe(202);
    });

    // 2. An order cycle opens for every shop. OFN posts to the URL each owner pasted (through the
    // proxy, to a replica by shop), and the same delivery arrives again at the next replica at
    // once, as when OFN timed out waiting and retried. Partner shops get a second owner's delivery.
    for (const shop of shops) {
      const home = shop.index % 3;
      sims.ofn.setWebhookEndpoint(
        shop.ofnApiKey,
        `${proxy!.url}/to/${home}/webhooks/ofn/${shop.webhookToken}`,
      );
      if (shop.partner) {
        sims.ofn.setWebhookEndpoint(
          shop.partner.ofnApiKey,
          `${proxy!.url}/to/${(home + 1) % 3}/webhooks/ofn/${shop.webhookToken}`,
        );
      }
    }
    const duplicates: Array<Promise<void>> = [];
    const openings = (async () => {
      for (const shop of shops) {
        const opened = sims.ofn.openOrderCycle({
          name: `Semaine ${shop.index}`,
          coordinatorId: shop.coordinatorId,
          distributorIds: shop.partner ? [shop.partner.enterpriseId] : [],
        });
        expect(opened.deliveries).toHaveLength(shop.partner ? 2 : 1);
        for (const delivery of opened.deliveries) {
          const next = delivery.url.replace(/\/to\/(\d)\//, (_, k: string) => `/to/${(Number(k) + 1) % 3}/`);
          duplicates.push(redeliver(next, delivery.rawBody));
        }
        await sleep(10);
      }
    })();

    // 3. Kill one process while it holds both a sync and a campaign.
    const victim = replicas[1]!;
    const owned = sql`lease_owner like ${`%:${victim.pid}:%`} and lease_expires_at > now()`;
    const inFlight = await waitFor(
      "the victim to hold a sync and a campaign at the same moment",
      async () => {
        const [row] = await queryRows<{ syncs: string[] | null; campaigns: string[] | null }>(
          db,
          sql`select
                (select array_agg(id::text) from sync_runs where status = 'running' and ${owned}) as syncs,
                (select array_agg(id::text) from campaigns where status in (${activeCampaigns}) and ${owned}) as campaigns`,
        );
        return row?.syncs?.length && row.campaigns?.length
          ? { syncs: row.syncs, campaigns: row.campaigns }
          : undefined;
      },
      { timeoutMs: 60_000, everyMs: 10 },
    );
    await victim.process.stop("SIGKILL");
    victim.alive = false;
    const killedAt = Date.now();

    // 4. OFN keeps retrying what was not answered 2xx; then the survivors finish (leases expire).
    await openings;
    await Promise.all(duplicates);
    await sims.ofn.flushWebhooks({ includeRetries: true });
    const states = () =>
      queryRows<{ kind: string; status: string; n: number }>(
        db,
        sql`select 'sync' as kind, status, count(*)::int as n from sync_runs group by status
            union all select 'campaign', status, count(*)::int from campaigns group by status`,
      );
    await waitFor(
      "every sync and campaign to reach a final state",
      async () => {
        const rows = await states();
        const count = (kind: string, final: boolean) =>
          rows
            .filter((r) => r.kind === kind && FINAL[kind]!.includes(r.status) === final)
            .reduce((n, r) => n + r.n, 0);
        const allThere = count("sync", true) >= SHOPS && count("campaign", true) >= SHOPS;
        return allThere && count("sync", false) === 0 && count("campaign", false) === 0 ? rows : undefined;
      },
      { timeoutMs: 120_000, everyMs: 250, lastSeen: states },
    );
    const recoveredMs = Date.now() - killedAt;
    const peakRunning = await sampler.stop();

    // Every OFN delivery was answered 2xx in the end, none given up.
    expect(sims.ofn.deliveries.filter((d) => !d.done)).toEqual([]);

    // Syncs: one run per shop, all succeeded, none left running; the victim's were resumed.
    const runs = await queryRows<{
      id: string;
      shop_id: string;
      status: string;
      attempts: number;
      error: string | null;
    }>(db, sql`select id, shop_id, status, attempts, error_message as error from sync_runs`);
    expect(runs.filter((r) => r.status !== "succeeded")).toEqual([]);
    expect(new Set(runs.map((r) => r.shop_id)).size).toBe(SHOPS);
    expect(runs).toHaveLength(SHOPS);
    for (const id of inFlight.syncs)
      expect(runs.find((r) => r.id === id)?.attempts).toBeGreaterThanOrEqual(2);
    // The global cap held across the three processes, and was reached.
    expect(peakRunning).toBeLessThanOrEqual(MAX_CONCURRENT_SYNCS);
    expect(peakRunning).toBe(MAX_CONCURRENT_SYNCS);

    // Audiences: exactly the shop's customers, nobody from another shop's account.
    for (const shop of shops) {
      expect
        .soft([...accountEmails(sims, shop)].sort(), `shop ${shop.index} (${shop.provider})`)
        .toEqual([...shop.emails].sort());
    }

    // Campaigns: one per shop in the bridge and in the provider, sent, with one send request.
    const stored = await queryRows<{
      id: string;
      shop_id: string;
      status: string;
      lease_owner: string | null;
    }>(db, sql`select id, shop_id, status, lease_owner from campaigns`);
    expect(stored.filter((c) => c.status !== "sent")).toEqual([]);
    expect(new Set(stored.map((c) => c.shop_id)).size).toBe(SHOPS);
    expect(stored).toHaveLength(SHOPS);
    for (const shop of shops) {
      expect
        .soft(providerCampaigns(sims, shop), `shop ${shop.index} (${shop.provider})`)
        .toEqual([{ id: expect.any(String), status: "sent", sends: 1 }]);
    }
    // The victim's campaigns were finished by a survivor.
    for (const id of inFlight.campaigns) {
      const row = stored.find((c) => c.id === id);
      expect(row?.status).toBe("sent");
      expect(row?.lease_owner).not.toContain(`:${victim.pid}:`);
    }

    // Deliveries: one row per OFN delivery (duplicates absorbed), every one processed.
    const deliveries = await queryRows<{ shop_id: string; outcome: string; received: number }>(
      db,
      sql`select shop_id, outcome, received_count as received from webhook_deliveries`,
    );
    expect(deliveries).toHaveLength(shops.reduce((n, s) => n + (s.partner ? 2 : 1), 0));
    expect(deliveries.filter((d) => d.outcome !== "accepted" && d.outcome !== "duplicate")).toEqual([]);
    expect(deliveries.filter((d) => d.outcome === "accepted")).toHaveLength(SHOPS);
    expect(deliveries.every((d) => d.received >= 2)).toBe(true);

    // No starvation: each survivor ran syncs and campaigns, as its own /metrics says; the queue
    // gauges (read from the shared database) are empty on every one.
    const survivors = replicas.filter((r) => r.alive);
    const share = await Promise.all(
      survivors.map(async (replica) => {
        const scraped = await scrapeMetrics(replica, METRICS_TOKEN);
        expect(scraped('bridge_queue_depth{queue="sync"}')).toBe(0);
        expect(scraped('bridge_queue_depth{queue="campaign"}')).toBe(0);
        return {
          pid: replica.pid,
          syncs: scraped('bridge_syncs_total{outcome="succeeded"}'),
          campaigns: scraped('bridge_campaigns_total{outcome="sent"}'),
          webhooks:
            scraped('bridge_webhook_deliveries_total{outcome="accepted"}') +
            scraped('bridge_webhook_deliveries_total{outcome="duplicate"}'),
        };
      }),
    );
    console.info(
      `replicas: victim pid ${victim.pid} killed holding ${inFlight.syncs.length} sync(s) and ` +
        `${inFlight.campaigns.length} campaign(s); survivors finished ${recoveredMs} ms later; ` +
        `share ${JSON.stringify(share)}; webhooks forwarded ${JSON.stringify(proxy!.forwarded)}; peak running syncs ${peakRunning}`,
    );
    for (const s of share) {
      expect(s.syncs, `syncs run by pid ${s.pid}`).toBeGreaterThan(0);
      expect(s.campaigns, `campaigns sent by pid ${s.pid}`).toBeGreaterThan(0);
      expect(s.webhooks, `deliveries taken by pid ${s.pid}`).toBeGreaterThan(0);
    }
    // No campaign was counted as sent twice.
    expect(share.reduce((n, s) => n + s.campaigns, 0)).toBeLessThanOrEqual(SHOPS);
    expect(proxy!.forwarded.every((n) => n > 0)).toBe(true);
  });
});

/** Runs a count query every 50 ms until stopped; `stop` gives the highest count seen. */
function samplePeak(db: Db, count: SQL) {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const [row] = await queryRows<{ n: number }>(db, count);
      peak = Math.max(peak, row?.n ?? 0);
      await sleep(50);
    }
  })();
  return {
    async stop(): Promise<number> {
      running = false;
      await loop;
      return peak;
    },
  };
}

/** Posts a delivery again until a replica answers 2xx, as OFN's retries would. */
async function redeliver(url: string, body: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    }).catch(() => undefined);
    if (response && response.status < 300) return;
    await sleep(25);
  }
  throw new Error(`redelivery to ${url} never answered 2xx`);
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}
