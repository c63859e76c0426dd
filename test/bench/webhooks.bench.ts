/**
 * npm run bench:webhooks -- --shops 1000 --per-shop 10 --concurrency 200 --workers 8 --latency-ms 0
 * A burst of OFN `order_cycle.opened` deliveries (per shop: retries of the coordinator owner's
 * delivery and of a distributor owner's, all one opening) against the real bridge (HTTP, intake,
 * campaign workers, Mailchimp adapter) on PostgreSQL when DATABASE_URL is set, else PGlite. The
 * load generator and the Mailchimp simulator run in child processes (this file, other roles); a
 * bare Hono handler in this process, under the same load, gives bareRps. Prints a table and, last,
 * one JSON line.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { generateWebhookToken, hashWebhookToken } from "../../src/campaigns/tokens.js";
import { formatTable } from "../../src/cli/progress.js";
import { loadConfig } from "../../src/config.js";
import { ofnKeyContext, providerKeyContext } from "../../src/crypto/contexts.js";
import { queryRows } from "../../src/db/client.js";
import { providerConnections, shopEnterprises, shops } from "../../src/db/schema/index.js";
import { openRuntime } from "../../src/runtime.js";
import { startBridge } from "../../src/server.js";
import { shopSettingsSchema } from "../../src/shops/settings.js";
import { createBenchDatabase } from "./bench-db.js";
import { cpuSeconds, cpuSecondsOfCommand } from "./child.js";
import { type LoadResult, percentile, runRole, startChild } from "./webhooks-roles.js";

const { values } = parseArgs({
  options: {
    role: { type: "string" },
    shops: { type: "string", default: "1000" },
    "per-shop": { type: "string", default: "10" },
    concurrency: { type: "string", default: "200" },
    workers: { type: "string", default: "8" },
    // Added by the Mailchimp simulator to every call: real API calls take a few hundred ms.
    "latency-ms": { type: "string", default: "0" },
  },
});
if (values.role) {
  await runRole(values.role);
} else {
  await main();
}

async function main() {
  const shopCount = Number(values.shops);
  const perShop = Number(values["per-shop"]);
  const concurrency = Number(values.concurrency);
  const sims = startChild("sims");
  const load = startChild("load");
  const accounts = await sims.send<{ basePath: string; accounts: Array<{ apiKey: string; listId: string }> }>(
    {
      cmd: "seed",
      shops: shopCount,
      latencyMs: Number(values["latency-ms"]),
    },
  );

  // A real server gets a database of its own, dropped at the end; PGlite lives in a temporary folder.
  const serverUrl = loadConfig().DATABASE_URL;
  const benchDb = serverUrl ? await createBenchDatabase(serverUrl, "bench_webhooks") : undefined;
  const config = loadConfig(process.env, {
    DATA_DIR: mkdtempSync(join(tmpdir(), "bench-webhooks-")),
    DATABASE_URL: benchDb?.url,
    BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    MAILCHIMP_BASE_URL: accounts.basePath,
    PORT: "0",
    HOST: "127.0.0.1",
    // --workers: campaign loops; one sync loop (idle here) when there are any, none otherwise.
    WORKERS: Number(values.workers) > 0 ? "1" : "0",
    ...(Number(values.workers) > 0 ? { CAMPAIGN_WORKERS: values.workers } : {}),
    SCHEDULER: "false",
    LOG_LEVEL: "warn",
  });
  const runtime = await openRuntime({ config });
  const tokens = await seedShops(runtime, accounts.accounts);

  const bareUrl = await serveBare();
  const deliveries = buildDeliveries(tokens, perShop);
  const bare = await load.send<LoadResult>({ cmd: "run", url: bareUrl, deliveries, concurrency });
  const bridge = await startBridge(runtime);
  await load.send<LoadResult>({ cmd: "run", url: bridge.url, deliveries: warmUp(tokens), concurrency });
  const cpuBefore = cpuSplit();
  const burstStart = Date.now();
  const run = await load.send<LoadResult>({ cmd: "run", url: bridge.url, deliveries, concurrency });

  const db = runtime.database.db;
  const deadline = Date.now() + (config.WORKERS > 0 ? 180_000 : 0);
  while (Date.now() < deadline) {
    const [left] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from campaigns where status in ('pending', 'created', 'content_set')`,
    );
    if (!left?.n) break;
    await new Promise((done) => setTimeout(done, 100));
  }
  const cpu = cpuUsed(cpuBefore, cpuSplit());
  const runSeconds = (Date.now() - burstStart) / 1000;
  const stored = await queryRows<{ shop_id: string; delivery_id: string }>(
    db,
    sql`select shop_id, delivery_id from webhook_deliveries`,
  );
  const storedIds = new Set(stored.map((row) => `${row.shop_id}/${row.delivery_id}`));
  const ackedIds = new Set(run.acks.filter((a) => a.status < 300).map((a) => deliveries[a.index]!.key));
  const sentAt = await queryRows<{ shop_id: string; sent_at: string }>(
    db,
    sql`select shop_id, sent_at from campaigns where kind = 'announcement' and status = 'sent'`,
  );
  const acceptedAt = new Map(
    run.acks.filter((a) => a.accepted).map((a) => [deliveries[a.index]!.shopId, a.at] as const),
  );
  const toSend = sentAt
    .map((row) => new Date(row.sent_at).getTime() - (acceptedAt.get(row.shop_id) ?? Number.NaN))
    .filter((ms) => Number.isFinite(ms));
  const lastSentMs = Math.max(...sentAt.map((row) => new Date(row.sent_at).getTime())) - burstStart;
  const provider = await sims.send<{ campaigns: number; sent: number; duplicates: number }>({
    cmd: "counts",
  });

  const report = {
    shops: shopCount,
    deliveries: deliveries.length,
    acked: run.acks.filter((a) => a.status >= 200 && a.status < 300).length,
    lost: [...ackedIds].filter((id) => !storedIds.has(id)).length,
    campaignsSent: provider.sent,
    duplicateCampaigns: provider.duplicates,
    ackP50Ms: round(percentile(run.latencies, 0.5)),
    ackP99Ms: round(percentile(run.latencies, 0.99)),
    rps: Math.round(run.rps),
    bareRps: Math.round(bare.rps),
    webhookToSendP50Ms: Math.round(percentile(toSend, 0.5)),
  };
  process.stdout.write(
    `${formatTable([
      {
        run: "bare hono",
        requests: deliveries.length,
        rps: report.bareRps,
        p50: round(percentile(bare.latencies, 0.5)),
        p99: round(percentile(bare.latencies, 0.99)),
      },
      {
        run: "bridge",
        requests: deliveries.length,
        rps: report.rps,
        p50: report.ackP50Ms,
        p99: report.ackP99Ms,
      },
    ])}\n\n`,
  );
  process.stdout.write(
    `database ${runtime.database.kind}, ${config.WORKERS > 0 ? config.CAMPAIGN_WORKERS : 0} campaign workers, Mailchimp latency ${values["latency-ms"]} ms; statuses ${JSON.stringify(run.statuses)}; ` +
      `targets: all 2xx, p99 <= 50 ms, rps >= ${Math.round(report.bareRps / 4)} (25% of bare), lost 0, ` +
      `one campaign per shop (${provider.campaigns} created, ${report.campaignsSent} sent), webhook-to-send p50 <= 1000 ms\n` +
      `campaigns: last sent ${(lastSentMs / 1000).toFixed(1)} s after the burst began (${Math.round((run.acks.length / run.rps) * 1000) / 1000} s long); ` +
      `webhook-to-send p10 ${Math.round(percentile(toSend, 0.1))} ms, p90 ${Math.round(percentile(toSend, 0.9))} ms\n` +
      `CPU seconds used in those ${runSeconds.toFixed(1)} s (${availableParallelism()} cores): bridge ${cpu.bridge.toFixed(1)}, ` +
      `PostgreSQL ${runtime.database.kind === "postgres" ? cpu.postgres.toFixed(1) : "(in the bridge)"}, ` +
      `Mailchimp simulator ${cpu.sims.toFixed(1)}, load generator ${cpu.load.toFixed(1)}\n`,
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await bridge.stop();
  sims.stop();
  load.stop();
  await benchDb?.drop();
  process.exit(0);

  /** CPU seconds of each party so far (PostgreSQL: its processes on this machine, by pid). */
  function cpuSplit() {
    return {
      bridge: cpuSeconds(),
      sims: sims.pid ? cpuSeconds(sims.pid) : 0,
      load: load.pid ? cpuSeconds(load.pid) : 0,
      postgres: cpuSecondsOfCommand("postgres"),
    };
  }
}

function cpuUsed(before: CpuSplit, after: CpuSplit) {
  let postgres = 0;
  for (const [pid, seconds] of after.postgres) postgres += seconds - (before.postgres.get(pid) ?? 0);
  return {
    bridge: after.bridge - before.bridge,
    sims: after.sims - before.sims,
    load: after.load - before.load,
    postgres,
  };
}

interface CpuSplit {
  bridge: number;
  sims: number;
  load: number;
  postgres: Map<number, number>;
}

interface Delivery {
  key: string;
  shopId: string;
  path: string;
  body: string;
}

/** Per shop one opening: `perShop` deliveries alternating two owners' ids, each id repeated (OFN retries). */
function buildDeliveries(
  tokens: Array<{ shopId: string; token: string; enterpriseId: number }>,
  perShop: number,
) {
  const all: Delivery[] = [];
  const openedAt = new Date().toISOString();
  for (const { shopId, token, enterpriseId } of tokens) {
    const ids = [randomUUID(), randomUUID()];
    for (let i = 0; i < perShop; i++) {
      const id = ids[i % 2]!;
      const data = {
        id: 1,
        name: "Weekly order cycle",
        orders_open_at: openedAt,
        opened_at: openedAt,
        orders_close_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        coordinator_id: enterpriseId,
        coordinator_name: "Coordinator",
      };
      const body = JSON.stringify({ id, event: "order_cycle.opened", at: "2026-03-02 09:00:12 +0100", data });
      all.push({ key: `${shopId}/${id}`, shopId, path: `/webhooks/ofn/${token}`, body });
    }
  }
  // A burst, not shop after shop: retries and owners of different shops interleave.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

/** OFN's payment test event to every shop: warms the JIT and the pool without creating campaigns. */
function warmUp(tokens: Array<{ shopId: string; token: string }>): Delivery[] {
  return tokens.map(({ shopId, token }) => ({
    key: `${shopId}/warm`,
    shopId,
    path: `/webhooks/ofn/${token}`,
    body: JSON.stringify({ id: randomUUID(), event: "payment.completed", data: {} }),
  }));
}

async function seedShops(
  runtime: Awaited<ReturnType<typeof openRuntime>>,
  accounts: Array<{ apiKey: string; listId: string }>,
) {
  const db = runtime.database.db;
  const settings = shopSettingsSchema.parse({ campaigns: { fromName: "Shop", replyTo: "shop@example.org" } });
  const seeded: Array<{ shopId: string; token: string; enterpriseId: number }> = [];
  for (let start = 0; start < accounts.length; start += 200) {
    const batch = accounts.slice(start, start + 200).map((account, i) => ({
      account,
      shopId: randomUUID(),
      token: generateWebhookToken(),
      enterpriseId: start + i + 1,
    }));
    const sealed = await Promise.all(
      batch.map(async (b) => ({
        ofn: await runtime.keyring.seal("a".repeat(48), ofnKeyContext(b.shopId)),
        provider: await runtime.keyring.seal(b.account.apiKey, providerKeyContext(b.shopId)),
      })),
    );
    await db.insert(shops).values(
      batch.map((b, i) => ({
        id: b.shopId,
        ofnInstance: "https://ofn.example",
        ofnKeyLookup: `bench-${b.shopId}`,
        ofnApiKeySealed: sealed[i]!.ofn,
        ofnApiKeyLast4: "aaaa",
        name: `Shop ${b.enterpriseId}`,
        webhookTokenHash: hashWebhookToken(b.token),
        settings,
      })),
    );
    await db.insert(shopEnterprises).values(
      batch.map((b) => ({
        shopId: b.shopId,
        enterpriseId: b.enterpriseId,
        name: `Farm ${b.enterpriseId}`,
        shopUrl: `https://ofn.example/farm-${b.enterpriseId}/shop`,
      })),
    );
    await db.insert(providerConnections).values(
      batch.map((b, i) => ({
        shopId: b.shopId,
        provider: "mailchimp",
        apiKeySealed: sealed[i]!.provider,
        apiKeyLast4: b.account.apiKey.slice(-4),
        audienceId: b.account.listId,
      })),
    );
    seeded.push(...batch.map(({ shopId, token, enterpriseId }) => ({ shopId, token, enterpriseId })));
  }
  return seeded;
}

function serveBare(): Promise<string> {
  const app = new Hono();
  app.post("/webhooks/ofn/:token", async (c) => {
    await c.req.json();
    return c.json({ status: "accepted" });
  });
  return new Promise((ready) => {
    serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      ready(`http://127.0.0.1:${info.port}`),
    );
  });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
