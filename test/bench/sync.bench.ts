/**
 * npm run bench:sync -- --customers N --latency-ms L --provider mailchimp|brevo
 * A first sync of N customers over 2 enterprises, then a re-sync after 1% changed, against the
 * simulators (in a child process) with L ms of latency per request. Prints a table and, last,
 * one JSON line with the figures.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatTable } from "../../src/cli/progress.js";
import { loadConfig } from "../../src/config.js";
import { ofnKeyContext, ofnKeyLookupInput } from "../../src/crypto/contexts.js";
import { shops } from "../../src/db/schema/index.js";
import { createSyncDeps } from "../../src/jobs/background.js";
import { openRuntime } from "../../src/runtime.js";
import { saveEnterprises, saveProviderConnection } from "../../src/shops/connect.js";
import { shopSettingsSchema } from "../../src/shops/settings.js";
import { executeSync } from "../../src/sync/run-sync.js";
import { createBenchDatabase } from "./bench-db.js";
import { peakRssBytes, startSimsChild } from "./child.js";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "50000" },
    "latency-ms": { type: "string", default: "20" },
    provider: { type: "string", default: "mailchimp" },
  },
});
const customers = Number(values.customers);
const latencyMs = Number(values["latency-ms"]);
const provider = values.provider === "brevo" ? "brevo" : "mailchimp";

interface Seeded {
  ofn: string;
  mailchimp: string;
  brevo: string;
  ofnApiKey: string;
  enterprises: Array<{ id: number; name: string }>;
  mailchimpApiKey: string;
  mailchimpListId: string;
  brevoApiKey: string;
  brevoListId: string;
}
interface Counts {
  simCpuMs: number;
  ofnRequests: number;
  mailchimpWrites: number;
  brevoWrites: number;
}

// Peak RSS: the kernel's high-water mark where there is one (Linux), exact and free; else sampled.
let sampledPeak = 0;
const sampler = setInterval(() => {
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
}, 25);

const sims = startSimsChild();
const seeded = await sims.send<Seeded>({ cmd: "seed", customers, latencyMs });
// DATABASE_URL from the environment selects a PostgreSQL server (a fresh database on it is the
// benchmark's own); everything else is the benchmark's own too.
const serverUrl = loadConfig().DATABASE_URL;
const benchDb = serverUrl ? await createBenchDatabase(serverUrl, "bench_sync") : undefined;
const config = loadConfig(
  {},
  {
    DATABASE_URL: benchDb?.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), "bench-sync-")),
    BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    OFN_INSTANCES: seeded.ofn,
    MAILCHIMP_BASE_URL: seeded.mailchimp,
    BREVO_BASE_URL: seeded.brevo,
    LOG_LEVEL: "warn",
  },
);
const runtime = await openRuntime({ config });
const db = runtime.database.db;
const shopId = crypto.randomUUID();
const [lookup] = runtime.keyring.lookupHashes(ofnKeyLookupInput(seeded.ofn, seeded.ofnApiKey));
await db.insert(shops).values({
  id: shopId,
  ofnInstance: seeded.ofn,
  ofnKeyLookup: lookup!,
  ofnApiKeySealed: await runtime.keyring.seal(seeded.ofnApiKey, ofnKeyContext(shopId)),
  ofnApiKeyLast4: seeded.ofnApiKey.slice(-4),
  settings: shopSettingsSchema.parse({ sync: { consent: "non_marketing" } }),
});
await saveEnterprises(
  { db, keyring: runtime.keyring },
  shopId,
  seeded.enterprises.map((enterprise) => ({ enterprise, syncCustomers: true, announceCycles: true })),
);
await saveProviderConnection({ db, keyring: runtime.keyring }, shopId, {
  provider,
  apiKey: provider === "mailchimp" ? seeded.mailchimpApiKey : seeded.brevoApiKey,
  accountLabel: provider,
  audienceId: provider === "mailchimp" ? seeded.mailchimpListId : seeded.brevoListId,
});
const deps = createSyncDeps(runtime);
process.stderr.write(`  rss after start ${Math.round(process.memoryUsage().rss / 1048576)} MB\n`);
await sims.send<Counts>({ cmd: "counts" });

async function measure() {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let fetchedAt = 0;
  const result = await executeSync(deps, shopId, {
    onProgress: (p) => {
      if (!fetchedAt && p.total > 0 && p.counts.fetched >= customers) {
        fetchedAt = performance.now();
        process.stderr.write(`  rss after fetch ${Math.round(process.memoryUsage().rss / 1048576)} MB\n`);
      }
    },
  });
  process.stderr.write(`  fetch phase ${Math.round(fetchedAt - started)} ms\n`);
  const wallMs = Math.round(performance.now() - started);
  const used = process.cpuUsage(cpu);
  const counts = await sims.send<Counts>({ cmd: "counts" });
  process.stderr.write(`  simulators' CPU so far ${counts.simCpuMs} ms\n`);
  const providerWrites = provider === "mailchimp" ? counts.mailchimpWrites : counts.brevoWrites;
  return {
    result,
    wallMs,
    cpuMs: Math.round((used.user + used.system) / 1000),
    ofnRequests: counts.ofnRequests,
    providerWrites,
  };
}

const first = await measure();
const { changed } = await sims.send<{ changed: number }>({ cmd: "change", fraction: 0.01 });
const resync = await measure();
clearInterval(sampler);
const peakRss = peakRssBytes() ?? sampledPeak;
sims.stop();
await runtime.database.close();
await benchDb?.drop();

const ofnConcurrency = Math.min(config.OFN_CONCURRENCY, seeded.enterprises.length);
const providerConcurrency = provider === "mailchimp" ? 4 : 1;
const latencyBoundMs = Math.round(
  (first.ofnRequests * latencyMs) / ofnConcurrency + (first.providerWrites * latencyMs) / providerConcurrency,
);
const report = {
  provider,
  customers,
  first: {
    ofnRequests: first.ofnRequests,
    providerWrites: first.providerWrites,
    wallMs: first.wallMs,
    cpuMs: first.cpuMs,
  },
  resync: {
    changed,
    ofnRequests: resync.ofnRequests,
    providerWrites: resync.providerWrites,
    wallMs: resync.wallMs,
  },
  peakRssMb: Math.round(peakRss / 1024 / 1024),
};
process.stdout.write(
  `${formatTable([
    { run: "first", ...report.first, written: first.result.counts.new + first.result.counts.updated },
    {
      run: "re-sync",
      ...report.resync,
      cpuMs: resync.cpuMs,
      written: resync.result.counts.new + resync.result.counts.updated,
    },
  ])}\n\n`,
);
process.stdout.write(
  `targets: OFN requests ${Math.ceil(customers / 100)} per run; first-sync latency bound ${latencyBoundMs} ms (x2 = ${2 * latencyBoundMs} ms); re-sync writes <= 3; peak RSS ${report.peakRssMb} MB (target <= 200 at 50,000)\n`,
);
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
