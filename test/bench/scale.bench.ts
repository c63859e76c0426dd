/**
 * npm run bench:scale -- --shops 1000 --customers 5000 --latency-ms 50 --replicas 1,3
 * Many shops at once on PostgreSQL: every shop's first sync and one order cycle opening per shop
 * (one webhook each), served by one bridge process and then by three (`node --expose-gc
 * dist/src/main.js`, as `npm run serve` and the Docker image run it), against the simulators in a child process with L ms of latency per
 * request. Measures the wall time until every sync finished, the requests made, the peak RSS of
 * each bridge process (VmHWM) and whether every shop got exactly one campaign, sent once. Needs
 * DATABASE_URL (a server; a database of its own is created and dropped per configuration).
 * Prints a table and, last, one JSON line with the figures.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { regenerateWebhookToken } from "../../src/campaigns/tokens.js";
import { formatTable } from "../../src/cli/progress.js";
import { loadConfig } from "../../src/config.js";
import { keyIdOf } from "../../src/crypto/aead.js";
import { Keyring } from "../../src/crypto/keyring.js";
import { type Db, openDatabase, queryRows } from "../../src/db/client.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import { shops as shopsTable } from "../../src/db/schema/index.js";
import { enqueueSync } from "../../src/jobs/sync-queue.js";
import { LimiterPool } from "../../src/limiter.js";
import { createOfnClient } from "../../src/ofn/client.js";
import { PROJECT_ROOT } from "../../src/paths.js";
import { connectShop, saveEnterprises, saveProviderConnection } from "../../src/shops/connect.js";
import { shopSettingsSchema } from "../../src/shops/settings.js";
import { type BridgeProcess, COMPILED_ENTRY, startBridgeProcess } from "../support/process.js";
import { createBenchDatabase } from "./bench-db.js";
import { peakRssBytes, startJsonChild } from "./child.js";

const { values } = parseArgs({
  options: {
    shops: { type: "string", default: "1000" },
    customers: { type: "string", default: "5000" },
    "latency-ms": { type: "string", default: "50" },
    replicas: { type: "string", default: "1,3" },
    workers: { type: "string", default: "4" },
    "syncs-per-replica": { type: "string", default: "4" },
    "ofn-concurrency": { type: "string", default: "2" },
    "timeout-s": { type: "string", default: "7200" },
  },
});
const shopCount = Number(values.shops);
const customers = Number(values.customers);
const latencyMs = Number(values["latency-ms"]);
const replicaCounts = String(values.replicas).split(",").map(Number);
const timeoutMs = Number(values["timeout-s"]) * 1000;

// DATABASE_URL is read through the bridge's own config parser, like every other variable.
const serverUrl = loadConfig().DATABASE_URL;
if (!serverUrl) {
  process.stderr.write(
    "bench:scale needs a PostgreSQL server (several processes share one database; PGlite cannot):\n" +
      "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:scale -- --shops 100 --customers 500\n",
  );
  process.exit(2);
}

interface SeededShop {
  ofnApiKey: string;
  enterpriseId: number;
  mailchimpKey: string;
  listId: string;
}
interface SimCounts {
  ofnRequests: number;
  mailchimpRequests: number;
  mailchimpBatches: number;
  campaigns: number;
  sent: number;
  sendRequests: number;
  shopsWithOneSentCampaign: number;
  audiencesExact: number;
  members: number;
  webhooksDelivered: number;
  simsRssMb: number;
  simsCpuSeconds: number;
}

const results = [];
for (const replicas of replicaCounts) results.push(await runConfiguration(replicas));

process.stdout.write(
  `\n${formatTable(
    results.map((r) => ({
      replicas: r.replicas,
      "sync s": (r.syncWallMs / 1000).toFixed(1),
      "campaigns s": (r.campaignsWallMs / 1000).toFixed(1),
      "contacts/s": r.contactsPerSecond,
      "OFN req": r.ofnRequests,
      "MC req": r.mailchimpRequests,
      "peak RSS MB": r.peakRssMb.join(" / "),
      "CPU s bridges/sims": `${r.cpuSecondsPerBridge.join("+")} / ${r.simsCpuSeconds}`,
      "machine busy": `${r.machineBusyPct}%`,
      "sent once": `${r.shopsWithOneSentCampaign}/${shopCount}`,
      "exact audiences": `${r.audiencesExact}/${shopCount}`,
    })),
  )}\n\n`,
);
process.stdout.write(
  `${shopCount} shops x ${customers} customers, ${latencyMs} ms per simulated request, per replica WORKERS=${values.workers}, ` +
    `OFN_CONCURRENCY=${values["ofn-concurrency"]}, MAX_CONCURRENT_SYNCS=${values["syncs-per-replica"]} x replicas\n`,
);
process.stdout.write(
  `${JSON.stringify({ shops: shopCount, customers, latencyMs, workers: Number(values.workers), ofnConcurrency: Number(values["ofn-concurrency"]), runs: results })}\n`,
);
process.exit(results.every((r) => r.ok) ? 0 : 1);

async function runConfiguration(replicas: number) {
  log(`== ${replicas} replica(s): seeding ${shopCount} shops x ${customers} customers`);
  // A large heap: the simulators hold every shop's audience.
  const sims = startJsonChild([
    "--max-old-space-size=16384",
    "--import",
    "tsx",
    join(PROJECT_ROOT, "test/bench/scale-sims.ts"),
  ]);
  const seeded = await sims.send<{ ofn: string; mailchimp: string; shops: SeededShop[] }>({
    cmd: "seed",
    shops: shopCount,
    customers,
  });
  const benchDb = await createBenchDatabase(serverUrl!, `bench_scale_${replicas}`);
  const url = benchDb.url;
  const database = await openDatabase({ url, poolSize: 5 });
  let bridges: BridgeProcess[] = [];
  try {
    await migrateDatabase(database);
    const masterKey = randomBytes(32);
    const shopIds = await seedShops(database.db, masterKey, seeded.ofn, seeded.shops);
    log(`   ${shopIds.length} shops connected; starting ${replicas} bridge process(es)`);
    bridges = await Promise.all(
      Array.from({ length: replicas }, () =>
        startBridgeProcess(
          {
            DATABASE_URL: url,
            OFN_INSTANCES: seeded.ofn,
            MAILCHIMP_BASE_URL: seeded.mailchimp,
            BRIDGE_ENCRYPTION_KEY: masterKey.toString("base64"),
            SESSION_SECRET: randomBytes(32).toString("hex"),
            PORT: "0",
            HOST: "127.0.0.1",
            DATA_DIR: resolve("/tmp", `bench-scale-${replicas}-${Date.now()}`),
            WORKERS: String(values.workers),
            MAX_CONCURRENT_SYNCS: String(Number(values["syncs-per-replica"]) * replicas),
            OFN_CONCURRENCY: String(values["ofn-concurrency"]),
            SCHEDULER: "false",
            LOG_LEVEL: "info",
          },
          120_000,
          COMPILED_ENTRY,
        ),
      ),
    );
    await sims.send({ cmd: "latency", ms: latencyMs });
    await sims.send({ cmd: "reset" }); // seeding's requests are not the run's

    const cpuBefore = bridges.map((bridge) => cpuSeconds(bridge.child.pid!));
    const machineBefore = machineTimes();
    const started = performance.now();
    for (let i = 0; i < shopIds.length; i += 50) {
      await Promise.all(
        shopIds.slice(i, i + 50).map((shopId) => enqueueSync(database.db, shopId, "schedule")),
      );
    }
    const tokens = await webhookUrls(database.db, shopIds, bridges);
    await sims.send({ cmd: "open", urls: tokens });
    let syncWallMs = 0;
    let campaignsWallMs = 0;
    let lastReport = 0;
    for (;;) {
      const [row] = await queryRows<{ synced: number; failed: number; open: number; contacts: number }>(
        database.db,
        sql`select
              (select count(*)::int from sync_runs where status in ('succeeded', 'failed')) as synced,
              (select count(*)::int from sync_runs where status = 'failed') as failed,
              (select count(*)::int from campaigns where status in ('pending', 'created', 'content_set', 'cancelling'))
                + ${shopIds.length} - (select count(*)::int from campaigns) as open,
              (select coalesce(sum((counts->>'fetched')::int), 0)::int from sync_runs) as contacts`,
      );
      const elapsed = performance.now() - started;
      if (!syncWallMs && row && row.synced >= shopIds.length) syncWallMs = elapsed;
      if (!campaignsWallMs && row && row.open === 0) campaignsWallMs = elapsed;
      if (syncWallMs && campaignsWallMs) break;
      if (elapsed - lastReport > 10_000) {
        lastReport = elapsed;
        log(
          `   ${Math.round(elapsed / 1000)} s: ${row?.synced ?? 0}/${shopIds.length} syncs done, campaigns open ${row?.open}`,
        );
      }
      if (elapsed > timeoutMs) throw new Error(`not finished after ${values["timeout-s"]} s`);
      await new Promise((done) => setTimeout(done, 250));
    }
    const flushed = await sims.send<{ done: number; gaveUp: number }>({ cmd: "flush" });
    const peakRssMb = bridges.map((bridge) => {
      const bytes = peakRssBytes(bridge.child.pid!);
      return bytes === undefined ? -1 : Math.round(bytes / 1048576);
    });
    const cpuSecondsPerBridge = bridges.map((bridge, i) =>
      round1(cpuSeconds(bridge.child.pid!) - cpuBefore[i]!),
    );
    const machineAfter = machineTimes();
    const counts = await sims.send<SimCounts>({ cmd: "counts" });
    const [runs] = await queryRows<{
      failed: number;
      fetched: number;
      written: number;
      avg_run_ms: number;
      max_wait_ms: number;
    }>(
      database.db,
      sql`select count(*) filter (where status <> 'succeeded')::int as failed,
                 coalesce(sum((counts->>'fetched')::int), 0)::int as fetched,
                 coalesce(sum((counts->>'new')::int + (counts->>'updated')::int), 0)::int as written,
                 avg(extract(epoch from finished_at - started_at) * 1000)::int as avg_run_ms,
                 max(extract(epoch from started_at - queued_at) * 1000)::int as max_wait_ms
          from sync_runs`,
    );
    const result = {
      replicas,
      syncWallMs: Math.round(syncWallMs),
      campaignsWallMs: Math.round(campaignsWallMs),
      contactsPerSecond: Math.round((runs?.fetched ?? 0) / (syncWallMs / 1000)),
      customersFetched: runs?.fetched ?? 0,
      contactsWritten: runs?.written ?? 0,
      runsFailed: runs?.failed ?? 0,
      /** One shop's sync, claim to finish, on average; and the longest a shop waited for a slot. */
      avgRunMs: runs?.avg_run_ms ?? 0,
      maxQueueWaitMs: runs?.max_wait_ms ?? 0,
      ofnRequests: counts.ofnRequests,
      mailchimpRequests: counts.mailchimpRequests,
      mailchimpBatches: counts.mailchimpBatches,
      peakRssMb,
      simsRssMb: counts.simsRssMb,
      /** CPU used during the run: each bridge, the simulators' process, and the whole machine busy. */
      cpuSecondsPerBridge,
      simsCpuSeconds: counts.simsCpuSeconds,
      machineBusyPct: Math.round(
        (100 * (machineAfter.busy - machineBefore.busy)) /
          Math.max(1, machineAfter.total - machineBefore.total),
      ),
      webhooks: flushed.done,
      webhooksGaveUp: flushed.gaveUp,
      providerCampaigns: counts.campaigns,
      campaignsSent: counts.sent,
      sendRequests: counts.sendRequests,
      shopsWithOneSentCampaign: counts.shopsWithOneSentCampaign,
      audiencesExact: counts.audiencesExact,
      ok: false,
    };
    result.ok =
      result.runsFailed === 0 &&
      result.shopsWithOneSentCampaign === shopCount &&
      result.audiencesExact === shopCount &&
      result.webhooksGaveUp === 0;
    log(`   ${JSON.stringify(result)}`);
    return result;
  } finally {
    await Promise.all(bridges.map((bridge) => bridge.stop("SIGTERM")));
    sims.stop();
    await database.close();
    await benchDb.drop();
  }
}

/** Shops connected through the real services (OFN key checked live, keys sealed, token made). */
async function seedShops(db: Db, masterKey: Buffer, ofnUrl: string, seeded: SeededShop[]): Promise<string[]> {
  const deps = { db, keyring: new Keyring(db, [{ id: keyIdOf(masterKey), key: masterKey }]) };
  const limiters = new LimiterPool(8);
  const settings = shopSettingsSchema.parse({
    sync: { consent: "subscribed" },
    campaigns: { fromName: "Ferme", replyTo: "shop@example.org" },
  });
  const ids: string[] = new Array(seeded.length);
  for (let i = 0; i < seeded.length; i += 8) {
    await Promise.all(
      seeded.slice(i, i + 8).map(async (shop, j) => {
        const ofn = createOfnClient({
          instance: ofnUrl,
          apiKey: shop.ofnApiKey,
          limiter: limiters.for(ofnUrl),
        });
        const { shopId, enterprises } = await connectShop(deps, {
          instance: ofnUrl,
          apiKey: shop.ofnApiKey,
          ofn,
        });
        await saveEnterprises(
          deps,
          shopId,
          enterprises.map((enterprise) => ({ enterprise, syncCustomers: true, announceCycles: true })),
        );
        await saveProviderConnection(deps, shopId, {
          provider: "mailchimp",
          apiKey: shop.mailchimpKey,
          accountLabel: "mailchimp",
          audienceId: shop.listId,
        });
        await db.update(shopsTable).set({ settings }).where(eq(shopsTable.id, shopId));
        ids[i + j] = shopId;
      }),
    );
  }
  return ids;
}

/** Each shop's webhook URL, on the bridges in turn (as a load balancer would spread them). */
async function webhookUrls(db: Db, shopIds: string[], bridges: BridgeProcess[]): Promise<string[]> {
  const urls: string[] = [];
  for (const [i, shopId] of shopIds.entries()) {
    const { token } = await regenerateWebhookToken(
      { db, publicUrl: bridges[i % bridges.length]!.url },
      shopId,
    );
    urls.push(`${bridges[i % bridges.length]!.url}/webhooks/ofn/${token}`);
  }
  return urls;
}

/** User + system CPU seconds of a live process (Linux /proc; clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Busy and total jiffies of the whole machine (/proc/stat), to tell whether the CPU was the limit. */
function machineTimes(): { busy: number; total: number } {
  try {
    const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
    const numbers = values.map(Number);
    const total = numbers.reduce((a, b) => a + b, 0);
    const idle = (numbers[3] ?? 0) + (numbers[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function log(line: string) {
  process.stderr.write(`${line}\n`);
}
