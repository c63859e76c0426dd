/**
 * A whole world for integration tests: the three simulators (real HTTP), the bridge app on a
 * fresh test database pointed at them, and helpers to create configured shops.
 */
import { eq } from "drizzle-orm";
import { shops } from "../../src/db/schema/index.js";
import { LimiterPool } from "../../src/limiter.js";
import { createOfnClient } from "../../src/ofn/client.js";
import type { ProviderKind } from "../../src/providers/types.js";
import { type BrevoSimulator, brevoTestKey, startBrevoSimulator } from "../../src/sandbox/brevo.js";
import { type MailchimpSimulator, startMailchimpSimulator } from "../../src/sandbox/mailchimp.js";
import { type OfnSimulator, startOfnSimulator } from "../../src/sandbox/ofn.js";
import { connectShop, saveEnterprises, saveProviderConnection } from "../../src/shops/connect.js";
import { type ShopSettings, shopSettingsSchema } from "../../src/shops/settings.js";
import { createTestApp, type TestApp } from "./app.js";
import { hex, uniqueId } from "./ids.js";

export { hex, uniqueId };

export interface World {
  t: TestApp;
  ofn: OfnSimulator;
  ofnUrl: string;
  mailchimp: MailchimpSimulator;
  brevo: BrevoSimulator;
  close(): Promise<void>;
}

export async function createWorld(env: Record<string, string> = {}): Promise<World> {
  const ofn = await startOfnSimulator({ webhookTimeScale: 0.001 });
  const mailchimp = await startMailchimpSimulator();
  const brevo = await startBrevoSimulator({
    importProcessingMs: 5,
    generalPerHour: 100_000,
    contactsPerSecond: 1_000,
  });
  const t = await createTestApp({
    OFN_INSTANCES: ofn.url,
    MAILCHIMP_BASE_URL: mailchimp.basePath,
    BREVO_BASE_URL: brevo.basePath,
    ...env,
  });
  return {
    t,
    ofn: ofn.sim,
    ofnUrl: ofn.url,
    mailchimp: mailchimp.sim,
    brevo: brevo.sim,
    async close() {
      await t.close();
      ofn.sim.close();
      brevo.sim.close();
      await Promise.all([ofn.close(), mailchimp.close(), brevo.close()]);
    },
  };
}

export interface TestShop {
  shopId: string;
  ofnApiKey: string;
  enterpriseIds: number[];
  provider: ProviderKind;
  providerKey: string;
  audienceId: string;
}

let enterpriseSeq = 1_000;

/** An OFN user with enterprises in the OFN simulator, an account in the provider simulator, and the shop configured in the bridge. */
export async function createShop(
  world: World,
  options: {
    provider?: ProviderKind;
    enterprises?: number;
    settings?: Partial<{
      sync: Partial<ShopSettings["sync"]>;
      campaigns: Partial<ShopSettings["campaigns"]>;
    }>;
    mailchimpDoubleOptin?: boolean;
  } = {},
): Promise<TestShop> {
  const provider = options.provider ?? "mailchimp";
  const id = uniqueId();
  const ofnApiKey = hex(48);
  const enterprises = Array.from({ length: options.enterprises ?? 1 }, (_, i) => {
    const enterpriseId = ++enterpriseSeq;
    return { id: enterpriseId, name: `Ferme ${id} ${i}`, permalink: `ferme-${id}-${i}` };
  });
  world.ofn.addUser({ apiKey: ofnApiKey, email: `owner-${id}@example.org`, enterprises });
  let providerKey: string;
  let audienceId: string;
  const sender = `shop-${id}@example.org`;
  if (provider === "mailchimp") {
    providerKey = `${hex(32)}-us21`;
    world.mailchimp.addAccount({ apiKey: providerKey, label: `mc-${id}`, fromEmailVerified: [sender] });
    audienceId = world.mailchimp.addList(providerKey, {
      name: `Audience ${id}`,
      doubleOptin: options.mailchimpDoubleOptin,
    }).id;
  } else {
    providerKey = brevoTestKey(id);
    world.brevo.addAccount({
      apiKey: providerKey,
      label: `brevo-${id}`,
      senders: [{ name: "Shop", email: sender }],
      emailCredits: 1_000_000,
    });
    audienceId = String(world.brevo.addList(providerKey, { name: `List ${id}` }).id);
  }
  const deps = { db: world.t.deps.database.db, keyring: world.t.deps.keyring };
  const ofnClient = createOfnClient({
    instance: world.ofnUrl,
    apiKey: ofnApiKey,
    limiter: new LimiterPool(2).for("x"),
    retryBaseMs: 5,
  });
  const { shopId } = await connectShop(deps, { instance: world.ofnUrl, apiKey: ofnApiKey, ofn: ofnClient });
  await saveEnterprises(
    deps,
    shopId,
    enterprises.map((enterprise) => ({ enterprise, syncCustomers: true, announceCycles: true })),
  );
  await saveProviderConnection(deps, shopId, {
    provider,
    apiKey: providerKey,
    accountLabel: provider,
    audienceId,
    audienceName: "Audience",
  });
  const settings = shopSettingsSchema.parse({
    sync: { ...options.settings?.sync },
    campaigns: { fromName: "Shop", replyTo: sender, ...options.settings?.campaigns },
  });
  await deps.db.update(shops).set({ settings }).where(eq(shops.id, shopId));
  return {
    shopId,
    ofnApiKey,
    enterpriseIds: enterprises.map((e) => e.id),
    provider,
    providerKey,
    audienceId,
  };
}
