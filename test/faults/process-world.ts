/**
 * The real bridge as a child process (`tsx src/main.ts`) against the three simulators, for tests
 * that kill it. Its database is PostgreSQL when TEST_DATABASE_URL is set, else a PGlite data
 * folder, which outlives the process. PGlite allows one process at a time, so the test opens the
 * folder itself only while the bridge is down (`withDb` refuses otherwise); on PostgreSQL the test
 * keeps its own connection.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { regenerateWebhookToken } from "../../src/campaigns/tokens.js";
import { keyIdOf } from "../../src/crypto/aead.js";
import { Keyring } from "../../src/crypto/keyring.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import { shopEnterprises, shops } from "../../src/db/schema/index.js";
import { LimiterPool } from "../../src/limiter.js";
import { createOfnClient } from "../../src/ofn/client.js";
import type { ProviderKind } from "../../src/providers/types.js";
import { type BrevoSimulator, brevoTestKey, startBrevoSimulator } from "../../src/sandbox/brevo.js";
import { type MailchimpSimulator, startMailchimpSimulator } from "../../src/sandbox/mailchimp.js";
import { type OfnCustomerInput, type OfnSimulator, startOfnSimulator } from "../../src/sandbox/ofn.js";
import { connectShop, saveEnterprises, saveProviderConnection } from "../../src/shops/connect.js";
import { type ShopSettings, shopSettingsSchema } from "../../src/shops/settings.js";
import { type AudienceEntry, audienceOf } from "../support/audience.js";
import { createTestDatabase, usingPostgres } from "../support/db.js";
import { hex, uniqueId } from "../support/ids.js";
import { type BridgeProcess, startBridgeProcess } from "../support/process.js";
import type { TestShop, World } from "../support/world.js";
import { TWIN_ENTERPRISE } from "./support.js";

export const ADMIN_TOKEN = `faults-admin-${randomBytes(16).toString("hex")}`;

export interface ProcessShop extends TestShop {
  webhookToken: string;
  sender: string;
}

export interface ProcessWorld {
  ofn: OfnSimulator;
  mailchimp: MailchimpSimulator;
  brevo: BrevoSimulator;
  /** "postgres" or "pglite": which database the bridge runs on. */
  kind: Database["kind"];
  /** The bridge's DATABASE_URL on PostgreSQL. */
  databaseUrl?: string;
  bridge(): BridgeProcess;
  running(): boolean;
  start(): Promise<BridgeProcess>;
  /** SIGKILL: no shutdown code runs, exactly like a crash or the OOM killer. */
  kill(): Promise<void>;
  /** Runs `fn` on the bridge's database (PGlite: only while the bridge is down). */
  withDb<T>(fn: (db: Database["db"]) => Promise<T>): Promise<T>;
  /** Operator call to the JSON API of the running bridge. */
  api<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  /** Configures shops in the simulators and the bridge's database (one database session for all). */
  addShops(shops: ShopSeed[]): Promise<ProcessShop[]>;
  close(): Promise<void>;
}

export interface ShopSeed {
  provider: ProviderKind;
  customers?: OfnCustomerInput[];
  /** Subscribed contacts already in the audience (a campaign needs recipients). */
  subscribers?: string[];
  settings?: Partial<{ sync: Partial<ShopSettings["sync"]>; campaigns: Partial<ShopSettings["campaigns"]> }>;
}

let enterpriseSeq = 700_000;

export async function createProcessWorld(options: { latencyMs?: number } = {}): Promise<ProcessWorld> {
  const ofn = await startOfnSimulator({ webhookTimeScale: 0.001 });
  const mailchimp = await startMailchimpSimulator();
  const brevo = await startBrevoSimulator({
    importProcessingMs: 5,
    generalPerHour: 1_000_000,
    contactsPerSecond: 1_000,
  });
  for (const sim of [ofn.sim, mailchimp.sim, brevo.sim]) sim.controls.latencyMs = options.latencyMs ?? 0;
  const dataDir = mkdtempSync(join(tmpdir(), "bridge-faults-"));
  const masterKey = randomBytes(32);
  const masterKeys = [{ id: keyIdOf(masterKey), key: masterKey }];
  const server = usingPostgres() ? await createTestDatabase() : undefined;
  if (!server) {
    // Migrated here once, so the test can seed before the first start.
    const first = await openDatabase({ dataDir: join(dataDir, "pglite") });
    await migrateDatabase(first);
    await first.close();
  }
  let bridge: BridgeProcess | undefined;
  let exited = true;

  const env = {
    DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    BRIDGE_ENCRYPTION_KEY: masterKey.toString("base64"),
    SESSION_SECRET: randomBytes(32).toString("hex"),
    PUBLIC_URL: "http://bridge.test",
    OFN_INSTANCES: ofn.url,
    MAILCHIMP_BASE_URL: mailchimp.basePath,
    BREVO_BASE_URL: brevo.basePath,
    ADMIN_TOKEN,
    // Syncs start only when a test asks: the cron tick would queue every shop at once.
    SCHEDULER: "false",
    LOG_LEVEL: "info",
    ...(server?.url ? { DATABASE_URL: server.url, DATABASE_POOL_SIZE: "4" } : {}),
  };

  const withDb = async <T>(fn: (db: Database["db"]) => Promise<T>): Promise<T> => {
    if (server) return fn(server.db);
    if (!exited) throw new Error("the PGlite folder is the running bridge's: stop it first");
    const database = await openDatabase({ dataDir: join(dataDir, "pglite") });
    try {
      return await fn(database.db);
    } finally {
      await database.close();
    }
  };

  const world: ProcessWorld = {
    ofn: ofn.sim,
    mailchimp: mailchimp.sim,
    brevo: brevo.sim,
    kind: server ? "postgres" : "pglite",
    databaseUrl: server?.url,
    bridge() {
      if (!bridge || exited) throw new Error("the bridge is not running");
      return bridge;
    },
    running: () => !exited,
    async start() {
      if (!exited) throw new Error("the bridge is already running");
      bridge = await startBridgeProcess(env, 60_000);
      exited = false;
      bridge.child.once("exit", () => {
        exited = true;
      });
      return bridge;
    },
    async kill() {
      if (!bridge || exited) return;
      await bridge.stop("SIGKILL");
      exited = true;
    },
    withDb,
    async api<T>(path: string, init: RequestInit = {}) {
      const res = await fetch(`${world.bridge().url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(init.headers as Record<string, string>) },
        signal: AbortSignal.timeout(10_000),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
    addShops: (seeds) =>
      withDb(async (db) => {
        const deps = { db, keyring: new Keyring(db, masterKeys) };
        const added: ProcessShop[] = [];
        for (const seed of seeds) added.push(await seedShop(deps, world, ofn.url, seed));
        return added;
      }),
    async close() {
      await world.kill();
      ofn.sim.close();
      brevo.sim.close();
      await Promise.all([ofn.close(), mailchimp.close(), brevo.close()]);
      await server?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}

/**
 * Lets the leases of a killed process run out now instead of after their 60 s. The recovery path
 * stays the real one (a worker claims a row whose lease expired); only the wait is skipped.
 */
export async function expireLeases(db: Database["db"]): Promise<void> {
  await db.execute(
    sql`update sync_runs set lease_expires_at = now() - interval '1 second' where status = 'running'`,
  );
  await db.execute(
    sql`update campaigns set lease_expires_at = now() - interval '1 second' where lease_owner is not null`,
  );
}

/** Like test/support/world.ts's createShop, on a database the test opens itself. */
async function seedShop(
  deps: { db: Database["db"]; keyring: Keyring },
  world: ProcessWorld,
  ofnUrl: string,
  options: ShopSeed,
): Promise<ProcessShop> {
  const id = uniqueId();
  const ofnApiKey = hex(48);
  const enterprise = { id: ++enterpriseSeq, name: TWIN_ENTERPRISE, permalink: `ferme-${id}` };
  world.ofn.addUser({ apiKey: ofnApiKey, email: `owner-${id}@example.org`, enterprises: [enterprise] });
  if (options.customers?.length) world.ofn.addCustomers(enterprise.id, options.customers);
  const sender = `shop-${id}@example.org`;
  let providerKey: string;
  let audienceId: string;
  if (options.provider === "mailchimp") {
    providerKey = `${hex(32)}-us21`;
    world.mailchimp.addAccount({ apiKey: providerKey, label: `mc-${id}`, fromEmailVerified: [sender] });
    audienceId = world.mailchimp.addList(providerKey, { name: `Audience ${id}` }).id;
    for (const email of options.subscribers ?? [])
      world.mailchimp.addMember(providerKey, audienceId, { email, status: "subscribed" });
  } else {
    providerKey = brevoTestKey(id);
    world.brevo.addAccount({
      apiKey: providerKey,
      label: `brevo-${id}`,
      senders: [{ name: "Shop", email: sender }],
      emailCredits: 1_000_000,
    });
    audienceId = String(world.brevo.addList(providerKey, { name: `List ${id}` }).id);
    for (const email of options.subscribers ?? [])
      world.brevo.addContact(providerKey, { email, listIds: [Number(audienceId)] });
  }
  const ofn = createOfnClient({
    instance: ofnUrl,
    apiKey: ofnApiKey,
    limiter: new LimiterPool(2).for("x"),
    retryBaseMs: 5,
  });
  const { shopId } = await connectShop(deps, { instance: ofnUrl, apiKey: ofnApiKey, ofn });
  await saveEnterprises(deps, shopId, [
    {
      enterprise,
      shop: {
        id: enterprise.id,
        name: TWIN_ENTERPRISE,
        permalink: enterprise.permalink,
        url: `${ofnUrl}/${enterprise.permalink}/shop`,
      },
      syncCustomers: true,
      announceCycles: true,
    },
  ]);
  await saveProviderConnection(deps, shopId, {
    provider: options.provider,
    apiKey: providerKey,
    accountLabel: options.provider,
    audienceId,
    audienceName: "Audience",
  });
  const settings = shopSettingsSchema.parse({
    sync: { ...options.settings?.sync },
    campaigns: { fromName: "Shop", replyTo: sender, ...options.settings?.campaigns },
  });
  await deps.db.update(shops).set({ settings }).where(eq(shops.id, shopId));
  const { token } = await regenerateWebhookToken({ db: deps.db, publicUrl: "http://bridge.test" }, shopId);
  const [row] = await deps.db.select().from(shopEnterprises).where(eq(shopEnterprises.shopId, shopId));
  if (row?.name !== TWIN_ENTERPRISE) throw new Error("enterprise not saved");
  return {
    shopId,
    ofnApiKey,
    enterpriseIds: [enterprise.id],
    provider: options.provider,
    providerKey,
    audienceId,
    webhookToken: token,
    sender,
  };
}

/** The audience a shop has in its provider simulator (audienceOf reads only the simulators). */
export function audienceIn(world: ProcessWorld, shop: TestShop): Map<string, AudienceEntry> {
  return audienceOf(world as unknown as World, shop);
}

/** Polls `probe` until it returns a value, at most `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A pseudo-random source with a printed seed, so a failing trial can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}
