/**
 * A small hosting of the bridge for the replica tests: the three simulators on real HTTP in this
 * process, a fresh PostgreSQL database, shops created through the real services, a front proxy
 * like an operator's load balancer, and N bridge processes (`node --import tsx src/main.ts`).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { regenerateWebhookToken } from "../../src/campaigns/tokens.js";
import { keyIdOf } from "../../src/crypto/aead.js";
import { Keyring } from "../../src/crypto/keyring.js";
import { shops } from "../../src/db/schema/index.js";
import { LimiterPool } from "../../src/limiter.js";
import { createOfnClient } from "../../src/ofn/client.js";
import type { ProviderKind } from "../../src/providers/types.js";
import { type BrevoSimulator, brevoTestKey, startBrevoSimulator } from "../../src/sandbox/brevo.js";
import { listen, type RunningServer } from "../../src/sandbox/controls.js";
import { type MailchimpSimulator, startMailchimpSimulator } from "../../src/sandbox/mailchimp.js";
import { type OfnSimulator, startOfnSimulator } from "../../src/sandbox/ofn.js";
import { generateCustomers } from "../../src/sandbox/seed.js";
import { connectShop, saveEnterprises, saveProviderConnection } from "../../src/shops/connect.js";
import { shopSettingsSchema } from "../../src/shops/settings.js";
import { hex } from "../support/ids.js";
import { type BridgeProcess, startBridgeProcess } from "../support/process.js";
import type { createServerDatabase } from "./support.js";

export interface Sims {
  ofn: OfnSimulator;
  ofnUrl: string;
  mailchimp: MailchimpSimulator;
  mailchimpBase: string;
  brevo: BrevoSimulator;
  brevoBase: string;
  close(): Promise<void>;
}

export async function startSims(): Promise<Sims> {
  // OFN's Sidekiq retry delays scaled down: a failed delivery is retried within milliseconds.
  const ofn = await startOfnSimulator({ webhookTimeScale: 0.001 });
  const mailchimp = await startMailchimpSimulator();
  const brevo = await startBrevoSimulator({
    importProcessingMs: 5,
    generalPerHour: 100_000,
    contactsPerSecond: 1_000,
  });
  return {
    ofn: ofn.sim,
    ofnUrl: ofn.url,
    mailchimp: mailchimp.sim,
    mailchimpBase: mailchimp.basePath,
    brevo: brevo.sim,
    brevoBase: brevo.basePath,
    async close() {
      ofn.sim.close();
      brevo.sim.close();
      await Promise.all([ofn.close(), mailchimp.close(), brevo.close()]);
    },
  };
}

export function setLatency(sims: Sims, ms: number): void {
  for (const controls of [sims.ofn.controls, sims.mailchimp.controls, sims.brevo.controls])
    controls.latencyMs = ms;
}

export interface FleetShop {
  index: number;
  shopId: string;
  provider: ProviderKind;
  providerKey: string;
  audienceId: string;
  /** The OFN user whose key the shop pasted (owner of the coordinator enterprise). */
  ofnApiKey: string;
  coordinatorId: number;
  /** Another owner's enterprise the shop also manages: OFN sends that owner's delivery too. */
  partner?: { ofnApiKey: string; enterpriseId: number };
  webhookToken: string;
  /** Every customer email of the shop in OFN, normalised: what its audience must hold, exactly. */
  emails: Set<string>;
}

/** Everybody's regular: the same person in every shop's OFN, so in every shop's own account. */
export const SHARED_CUSTOMER = "regular.customer@example.org";

export interface SeedOptions {
  shops: number;
  /** Customers per enterprise: base + (index % spread). */
  customersBase: number;
  customersSpread: number;
  /** Which shops use Brevo (the rest Mailchimp). */
  brevo: (index: number) => boolean;
  /** Which shops also manage an enterprise owned by another OFN user. */
  partner: (index: number) => boolean;
}

/**
 * Creates the shops the way the setup pages do (OFN key checked live, sealed under the keyring
 * of `encryptionKey`, enterprises, provider connection, settings, webhook token). Each audience
 * already holds one of its customers, subscribed: shops rarely start from an empty audience, and
 * a campaign needs someone to go to.
 */
export async function seedShops(
  db: Awaited<ReturnType<typeof createServerDatabase>>,
  sims: Sims,
  encryptionKey: Buffer,
  options: SeedOptions,
): Promise<FleetShop[]> {
  const keyring = new Keyring(db.db, [{ id: keyIdOf(encryptionKey), key: encryptionKey }]);
  const deps = { db: db.db, keyring };
  const limiters = new LimiterPool(4);
  const created: FleetShop[] = [];
  for (let index = 0; index < options.shops; index++) {
    const coordinatorId = 20_000 + index * 2;
    const count = options.customersBase + (index % options.customersSpread);
    const ofnApiKey = hex(48);
    let partner: FleetShop["partner"];
    const enterprises = [{ id: coordinatorId, name: `Ferme ${index}`, permalink: `ferme-${index}` }];
    if (options.partner(index)) {
      // The partner owns its enterprise (so it receives its own webhook); the shop's user manages it.
      const enterprise = { id: coordinatorId + 1, name: `Halle ${index}`, permalink: `halle-${index}` };
      partner = { ofnApiKey: hex(48), enterpriseId: enterprise.id };
      sims.ofn.addUser({ apiKey: partner.ofnApiKey, enterprises: [enterprise] });
      enterprises.push(enterprise);
    }
    sims.ofn.addUser({ apiKey: ofnApiKey, email: `owner-${index}@example.org`, enterprises });
    const emails = new Set<string>();
    for (const enterprise of enterprises) {
      const customers = generateCustomers(enterprise.id, count, { seed: index + 1 });
      customers.push({ email: SHARED_CUSTOMER, first_name: "Régulier", last_name: "Partout" });
      for (const customer of sims.ofn.addCustomers(enterprise.id, customers)) emails.add(customer.email);
    }
    const [firstCustomer] = [...emails];

    const provider: ProviderKind = options.brevo(index) ? "brevo" : "mailchimp";
    const sender = `shop-${index}@example.org`;
    let providerKey: string;
    let audienceId: string;
    if (provider === "mailchimp") {
      providerKey = `${hex(32)}-us21`;
      sims.mailchimp.addAccount({ apiKey: providerKey, label: `mc-${index}`, fromEmailVerified: [sender] });
      audienceId = sims.mailchimp.addList(providerKey, { name: `Clients ${index}` }).id;
      sims.mailchimp.addMember(providerKey, audienceId, { email: firstCustomer!, status: "subscribed" });
    } else {
      providerKey = brevoTestKey(`fleet${index}${hex(6)}`);
      sims.brevo.addAccount({
        apiKey: providerKey,
        label: `brevo-${index}`,
        senders: [{ name: "Shop", email: sender }],
        emailCredits: 1_000_000,
      });
      const listId = sims.brevo.addList(providerKey, { name: `Clients ${index}` }).id;
      audienceId = String(listId);
      sims.brevo.addContact(providerKey, { email: firstCustomer!, listIds: [listId] });
    }

    const ofn = createOfnClient({
      instance: sims.ofnUrl,
      apiKey: ofnApiKey,
      limiter: limiters.for(sims.ofnUrl),
      retryBaseMs: 5,
    });
    const { shopId, enterprises: found } = await connectShop(deps, {
      instance: sims.ofnUrl,
      apiKey: ofnApiKey,
      ofn,
    });
    await saveEnterprises(
      deps,
      shopId,
      found.map((enterprise) => ({ enterprise, syncCustomers: true, announceCycles: true })),
    );
    await saveProviderConnection(deps, shopId, {
      provider,
      apiKey: providerKey,
      accountLabel: provider,
      audienceId,
      audienceName: `Clients ${index}`,
    });
    const settings = shopSettingsSchema.parse({
      sync: { consent: "subscribed" },
      campaigns: { fromName: `Ferme ${index}`, replyTo: sender },
    });
    await db.db.update(shops).set({ settings }).where(eq(shops.id, shopId));
    const { token } = await regenerateWebhookToken({ db: db.db, publicUrl: "http://unused" }, shopId);
    created.push({
      index,
      shopId,
      provider,
      providerKey,
      audienceId,
      ofnApiKey,
      coordinatorId,
      partner,
      webhookToken: token,
      emails,
    });
  }
  return created;
}

/** The emails a shop's provider account holds (the whole account: each shop has its own). */
export function accountEmails(sims: Sims, shop: FleetShop): Set<string> {
  if (shop.provider === "mailchimp") {
    const account = sims.mailchimp.account(shop.providerKey);
    const emails = new Set<string>();
    for (const list of account.lists.values())
      for (const member of list.members.values()) emails.add(member.email);
    return emails;
  }
  return new Set(sims.brevo.account(shop.providerKey).contacts.keys());
}

/** The shop's campaigns in its provider account, with how many send requests each received. */
export function providerCampaigns(
  sims: Sims,
  shop: FleetShop,
): Array<{ id: string; status: string; sends: number }> {
  if (shop.provider === "mailchimp") {
    return [...sims.mailchimp.account(shop.providerKey).campaigns.values()].map((c) => ({
      id: c.id,
      status: c.status,
      sends: sims.mailchimp.controls.countRequests({
        method: "POST",
        pathPrefix: `/campaigns/${c.id}/actions/send`,
        account: `mc-${shop.index}`,
      }),
    }));
  }
  return [...sims.brevo.account(shop.providerKey).campaigns.values()].map((c) => ({
    id: String(c.id),
    status: c.status,
    // Brevo campaign ids count from 1 in every account: only this account's requests.
    sends: sims.brevo.controls.requests.filter(
      (r) =>
        r.method === "POST" &&
        r.path === `/emailCampaigns/${c.id}/sendNow` &&
        r.account === `brevo-${shop.index}`,
    ).length,
  }));
}

export interface Replica {
  process: BridgeProcess;
  pid: number;
  url: string;
  alive: boolean;
}

/** Starts `count` bridge processes on one database with one encryption key. */
export async function startReplicas(count: number, env: Record<string, string>): Promise<Replica[]> {
  const started = await Promise.all(
    Array.from({ length: count }, () =>
      startBridgeProcess(
        { ...env, DATA_DIR: mkdtempSync(join(tmpdir(), "bridge-replica-")), PORT: "0" },
        120_000,
      ),
    ),
  );
  return started.map((process) => ({ process, pid: process.child.pid!, url: process.url, alive: true }));
}

/**
 * A front proxy like the operator's load balancer: `/to/<k>/...` goes to replica k, or to the
 * next live one once k is marked down. A replica dying mid-request gives a 502 (a POST is never
 * retried by the proxy): OFN retries it, like it retries any failed delivery.
 */
export async function startFrontProxy(replicas: Replica[]): Promise<RunningServer & { forwarded: number[] }> {
  const forwarded = replicas.map(() => 0);
  const app = new Hono();
  app.post("/to/:k/*", async (c) => {
    const wanted = Number(c.req.param("k"));
    const path = new URL(c.req.url).pathname.replace(/^\/to\/\d+/, "");
    const body = await c.req.text();
    for (let step = 0; step < replicas.length; step++) {
      const k = (wanted + step) % replicas.length;
      const target = replicas[k]!;
      if (!target.alive) continue;
      try {
        const response = await fetch(`${target.url}${path}`, {
          method: "POST",
          headers: { "Content-Type": c.req.header("content-type") ?? "application/json" },
          body,
        });
        forwarded[k] = (forwarded[k] ?? 0) + 1;
        return new Response(await response.text(), {
          status: response.status,
          headers: { "Content-Type": response.headers.get("content-type") ?? "application/json" },
        });
      } catch {
        return c.body(null, 502);
      }
    }
    return c.body(null, 503);
  });
  const server = await listen(app);
  return { ...server, forwarded };
}

export function newEncryptionKey(): Buffer {
  return randomBytes(32);
}

/** Reads a replica's /metrics; the returned function gives one sample's value (0 when absent). */
export async function scrapeMetrics(replica: Replica, token: string): Promise<(sample: string) => number> {
  const response = await fetch(`${replica.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    const match = /^(\S+) (\S+)$/.exec(line);
    if (match && !line.startsWith("#")) samples.set(match[1]!, Number(match[2]));
  }
  return (sample) => samples.get(sample) ?? 0;
}
