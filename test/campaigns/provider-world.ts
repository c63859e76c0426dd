/** Campaign tests against the provider simulators through the real adapters. */
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import type { CampaignDeps } from "../../src/campaigns/executor-types.js";
import { regenerateWebhookToken } from "../../src/campaigns/tokens.js";
import { shops } from "../../src/db/schema/index.js";
import { type CampaignWorkerOptions, runOneCampaign } from "../../src/jobs/campaign-worker.js";
import type { ProviderKind } from "../../src/providers/types.js";
import { uniqueId } from "../support/ids.js";
import type { TestShop, World } from "../support/world.js";

export function campaignDeps(world: World, overrides: Partial<CampaignDeps> = {}): CampaignDeps {
  return { ...world.t.deps.syncDeps, campaignRetryBaseMs: 1, ...overrides };
}

/** Runs due campaigns until none is left (each call is one claim). */
export async function drain(
  deps: CampaignDeps,
  options: Partial<CampaignWorkerOptions> = {},
): Promise<number> {
  let runs = 0;
  while (await runOneCampaign(deps, { owner: `test-${uniqueId()}`, ...options })) runs++;
  return runs;
}

export interface SeenCampaign {
  title: string;
  subject: string;
  html: string;
  status: string;
  sentTo: string[];
  tests: string[][];
}

/** The campaigns as the provider simulator holds them, whichever provider. */
export function providerCampaigns(world: World, shop: TestShop): SeenCampaign[] {
  if (shop.provider === "mailchimp") {
    return [...world.mailchimp.account(shop.providerKey).campaigns.values()].map((c) => ({
      title: String(c.settings.title ?? ""),
      subject: String(c.settings.subject_line ?? ""),
      html: c.content?.html ?? "",
      status: c.status,
      sentTo: c.sentTo,
      tests: c.testSends.map((t) => t.emails),
    }));
  }
  return [...world.brevo.account(shop.providerKey).campaigns.values()].map((c) => ({
    title: c.name,
    subject: c.subject ?? "",
    html: c.htmlContent,
    status: c.status,
    sentTo: c.sentTo,
    tests: c.testsSent.map((t) => t.emailTo),
  }));
}

export function addSubscriber(world: World, shop: TestShop, email: string): void {
  if (shop.provider === "mailchimp")
    world.mailchimp.addMember(shop.providerKey, shop.audienceId, { email, status: "subscribed" });
  else world.brevo.addContact(shop.providerKey, { email, listIds: [Number(shop.audienceId)] });
}

export async function setShop(world: World, shopId: string, values: Partial<typeof shops.$inferInsert>) {
  await world.t.deps.database.db.update(shops).set(values).where(eq(shops.id, shopId));
}

export async function webhookToken(world: World, shopId: string): Promise<string> {
  const { token } = await regenerateWebhookToken(
    { db: world.t.deps.database.db, publicUrl: "http://x" },
    shopId,
  );
  return token;
}

/** The bridge listening on a real port, as OFN reaches it. */
export function listenBridge(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  return new Promise<{ url: string; close(): Promise<void> }>((ready) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      ready({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

export const PROVIDERS: ProviderKind[] = ["mailchimp", "brevo"];

/** Changes some campaign settings of a shop, keeping the rest. */
export async function setCampaignSettings(world: World, shopId: string, patch: Record<string, unknown>) {
  const db = world.t.deps.database.db;
  const [row] = await db.select({ settings: shops.settings }).from(shops).where(eq(shops.id, shopId));
  const settings = row?.settings as { campaigns?: Record<string, unknown> };
  await setShop(world, shopId, { settings: { ...settings, campaigns: { ...settings.campaigns, ...patch } } });
}

/**
 * Brevo sends test emails only to addresses that are contacts of the account (sendTest answers
 * 400 "Test email could not be sent" otherwise); the shop's own address is one, outside its lists.
 */
export function addTestAddress(world: World, shop: TestShop, email: string): void {
  if (shop.provider === "brevo") world.brevo.addContact(shop.providerKey, { email });
}
