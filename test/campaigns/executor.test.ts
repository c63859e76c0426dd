import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignDeps } from "../../src/campaigns/executor-types.js";
import { receiveWebhook } from "../../src/campaigns/intake.js";
import { retryCampaign } from "../../src/campaigns/shop-actions.js";
import { campaigns } from "../../src/db/schema/index.js";
import { MAX_CAMPAIGN_ATTEMPTS, runOneCampaign } from "../../src/jobs/campaign-worker.js";
import type { NewsletterProvider } from "../../src/providers/types.js";
import { createShop, createWorld, type TestShop, type World } from "../support/world.js";
import {
  addSubscriber,
  campaignDeps,
  drain,
  PROVIDERS,
  providerCampaigns,
  setCampaignSettings,
  webhookToken,
} from "./provider-world.js";
import { nextCycleId, openedBody } from "./support.js";

/** Deps whose provider runs `method` for real, then never answers: the process "dies" right there. */
function dyingAfter(deps: CampaignDeps, method: "createCampaign" | "sendCampaign"): CampaignDeps {
  return {
    ...deps,
    providers: (kind, key) => {
      const real = deps.providers(kind, key);
      const dying: NewsletterProvider = {
        ...real,
        [method]: async (...args: [never, never]) => {
          await (real[method] as (...a: unknown[]) => Promise<unknown>)(...args);
          return new Promise(() => {});
        },
      };
      return dying;
    },
  };
}

describe.each(PROVIDERS)("campaign state machine with %s", (provider) => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.close());

  const db = () => world.t.deps.database.db;

  /** A configured shop with one subscriber and one opened cycle recorded; returns the campaign id. */
  async function openedCycle(options: { settings?: Record<string, unknown> } = {}) {
    const shop = await createShop(world, { provider, settings: { campaigns: options.settings } });
    addSubscriber(world, shop, `customer-${shop.shopId}@example.org`);
    const token = await webhookToken(world, shop.shopId);
    const body = openedBody({
      cycleId: nextCycleId(),
      coordinatorId: shop.enterpriseIds[0]!,
      openedAt: new Date().toISOString(),
      closeAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    const result = await receiveWebhook({ db: db() }, { token, rawBody: JSON.stringify(body) });
    if (result.kind !== "recorded" || !result.campaignIds[0]) throw new Error("not recorded");
    return { shop, campaignId: result.campaignIds[0], body, token };
  }

  const row = async (id: string) => (await db().select().from(campaigns).where(eq(campaigns.id, id)))[0]!;
  const expireLease = (id: string) =>
    db()
      .update(campaigns)
      .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(campaigns.id, id));
  const sentOnce = (shop: TestShop) => {
    const seen = providerCampaigns(world, shop);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.status).toBe("sent");
    expect(seen[0]!.sentTo).toEqual([`customer-${shop.shopId}@example.org`]);
  };

  it("resumes after a worker dies between create and send: one provider campaign, sent once", async () => {
    const { shop, campaignId } = await openedCycle();
    const deps = campaignDeps(world);
    await runOneCampaign(deps, { owner: "worker-a", hooks: { afterStep: (status) => status !== "created" } });
    expect(await row(campaignId)).toMatchObject({ status: "created", leaseOwner: "worker-a" });
    expect(providerCampaigns(world, shop)).toHaveLength(1);
    // Worker A is gone but its lease still holds: nobody else may touch the row yet.
    expect(await runOneCampaign(deps, { owner: "worker-b" })).toBeUndefined();
    await expireLease(campaignId);
    await runOneCampaign(deps, { owner: "worker-b" });
    expect(await row(campaignId)).toMatchObject({ status: "sent" });
    sentOnce(shop);
  });

  it("holds its lease while a slow provider call outlasts it, so no second worker repeats the call", async () => {
    const { shop, campaignId } = await openedCycle();
    const base = campaignDeps(world);
    const slow: CampaignDeps = {
      ...base,
      providers: (kind, key) => {
        const real = base.providers(kind, key);
        return {
          ...real,
          createCampaign: async (input) => {
            await new Promise((resolve) => setTimeout(resolve, 2_500));
            return real.createCampaign(input);
          },
        };
      },
    };
    const first = runOneCampaign(slow, { owner: "slow-worker", leaseMs: 1_200, campaignId });
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    // Past the original lease: without the heartbeat this claim would succeed and create again.
    expect(await runOneCampaign(base, { owner: "eager-worker", campaignId })).toBeUndefined();
    await first;
    await drain(campaignDeps(world));
    expect((await row(campaignId)).status).toBe("sent");
    sentOnce(shop);
  });

  it("finds the campaign by title when the worker died before recording the create", async () => {
    const { shop, campaignId } = await openedCycle();
    const deps = campaignDeps(world);
    void runOneCampaign(dyingAfter(deps, "createCampaign"), { owner: "worker-a" });
    await expect.poll(() => providerCampaigns(world, shop).length).toBe(1);
    expect(await row(campaignId)).toMatchObject({ status: "pending", providerCampaignId: null });
    await expireLease(campaignId);
    await drain(deps);
    expect(await row(campaignId)).toMatchObject({ status: "sent" });
    sentOnce(shop);
  });

  it("does not send again when the worker died right after sending", async () => {
    const { shop, campaignId } = await openedCycle();
    const deps = campaignDeps(world);
    void runOneCampaign(dyingAfter(deps, "sendCampaign"), { owner: "worker-a" });
    await expect.poll(() => providerCampaigns(world, shop)[0]?.status).toBe("sent");
    expect((await row(campaignId)).status).toBe("content_set");
    await expireLease(campaignId);
    await drain(deps);
    expect(await row(campaignId)).toMatchObject({ status: "sent" });
    sentOnce(shop);
  });

  it("fails with the provider's reason on an unverified sender, and 'retry' works once it is fixed", async () => {
    const { shop, campaignId } = await openedCycle();
    const unverified = `news-${shop.shopId}@unverified.example`;
    await setCampaignSettings(world, shop.shopId, { replyTo: unverified });
    if (provider === "brevo") {
      world.brevo
        .account(shop.providerKey)
        .senders.push({ id: 900, name: "News", email: unverified, active: false });
    }
    await drain(campaignDeps(world));
    const failed = await row(campaignId);
    expect(failed.status).toBe("failed");
    expect(failed.errorMessage).toMatch(/verified/i);
    expect(providerCampaigns(world, shop).every((c) => c.sentTo.length === 0)).toBe(true);

    if (provider === "mailchimp")
      world.mailchimp.account(shop.providerKey).fromEmailVerified.push(unverified);
    else world.brevo.account(shop.providerKey).senders.find((s) => s.email === unverified)!.active = true;
    await retryCampaign({ db: db() }, shop.shopId, campaignId);
    await drain(campaignDeps(world));
    expect(await row(campaignId)).toMatchObject({ status: "sent", errorMessage: null });
    sentOnce(shop);
  });

  it("retries a 503 later with backoff, then gives up after a bounded number of attempts", async () => {
    const controls = provider === "mailchimp" ? world.mailchimp.controls : world.brevo.controls;
    const path = provider === "mailchimp" ? "/campaigns" : "/emailCampaigns";
    const { shop, campaignId } = await openedCycle();
    controls.addFault({
      method: "POST",
      pathPrefix: path,
      status: 503,
      body: { message: "down" },
      remaining: 1,
    });
    const deps = campaignDeps(world, { campaignRetryBaseMs: 60_000 });
    await runOneCampaign(deps, { owner: "worker-a" });
    const waiting = await row(campaignId);
    expect(waiting.status).toBe("pending");
    expect(waiting.runAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect(await runOneCampaign(deps, { owner: "worker-a" })).toBeUndefined();
    await db().update(campaigns).set({ runAt: new Date() }).where(eq(campaigns.id, campaignId));
    await drain(deps);
    sentOnce(shop);

    const second = await openedCycle();
    controls.addFault({
      method: "POST",
      pathPrefix: path,
      status: 503,
      body: { message: "down" },
      remaining: 100,
    });
    try {
      await drain(campaignDeps(world, { campaignRetryBaseMs: 0 }));
    } finally {
      controls.faults = [];
    }
    expect(await row(second.campaignId)).toMatchObject({
      status: "failed",
      errorCode: "GAVE_UP",
      attempts: MAX_CAMPAIGN_ATTEMPTS,
    });
  });

  it("schedules after the delay, on a quarter hour for Mailchimp", async () => {
    const { shop, campaignId } = await openedCycle({ settings: { delivery: "schedule", delayMinutes: 20 } });
    await drain(campaignDeps(world));
    const scheduled = await row(campaignId);
    expect(scheduled.status).toBe("scheduled");
    const at = scheduled.scheduledFor!.getTime();
    expect(at).toBeGreaterThanOrEqual(scheduled.createdAt.getTime() + 20 * 60_000);
    if (provider === "mailchimp") {
      expect(at % (15 * 60_000)).toBe(0);
      expect(at).toBeLessThan(scheduled.createdAt.getTime() + 35 * 60_000);
    }
    const seen = providerCampaigns(world, shop);
    expect(seen.map((c) => c.status)).toEqual([provider === "mailchimp" ? "schedule" : "queued"]);
  });

  it("leaves a draft in the provider in draft mode", async () => {
    const { shop, campaignId } = await openedCycle({ settings: { delivery: "draft" } });
    await drain(campaignDeps(world));
    const draft = await row(campaignId);
    expect(draft.status).toBe("draft");
    expect(draft.providerUrl).toMatch(/^https:\/\//);
    expect(providerCampaigns(world, shop).map((c) => [c.status, c.sentTo.length])).toEqual([
      [provider === "mailchimp" ? "save" : "draft", 0],
    ]);
  });

  it("sends the last call when it is due, and cancels one already in the provider when the cycle re-opens", async () => {
    const { shop, body, token } = await openedCycle({
      settings: { lastCallEnabled: true, lastCallHoursBefore: 24 },
    });
    await drain(campaignDeps(world));
    const [lastCall] = await db()
      .select()
      .from(campaigns)
      .where(sql`${campaigns.shopId} = ${shop.shopId} and ${campaigns.kind} = 'last_call'`);
    expect(lastCall?.status).toBe("pending");
    // Time passes: the last call is due; a worker creates it, then the cycle re-opens with a later closing.
    await db().update(campaigns).set({ runAt: new Date() }).where(eq(campaigns.id, lastCall!.id));
    await runOneCampaign(campaignDeps(world), { owner: "w", hooks: { afterStep: (s) => s !== "created" } });
    await expireLease(lastCall!.id);
    const reopened = {
      ...body,
      id: randomUUID(),
      data: {
        ...body.data,
        opened_at: new Date(Date.now() + 1000).toISOString(),
        orders_close_at: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      },
    };
    await receiveWebhook({ db: db() }, { token, rawBody: JSON.stringify(reopened) });
    await drain(campaignDeps(world));
    expect(await row(lastCall!.id)).toMatchObject({ status: "cancelled", errorCode: "REOPENED" });
    const seen = providerCampaigns(world, shop);
    expect(seen.filter((c) => c.sentTo.length > 0)).toHaveLength(1); // the announcement only

    const [next] = await db()
      .select()
      .from(campaigns)
      .where(
        sql`${campaigns.shopId} = ${shop.shopId} and ${campaigns.kind} = 'last_call' and ${campaigns.status} = 'pending'`,
      );
    await db().update(campaigns).set({ runAt: new Date() }).where(eq(campaigns.id, next!.id));
    await drain(campaignDeps(world));
    expect(await row(next!.id)).toMatchObject({ status: "sent" });
    expect(providerCampaigns(world, shop).some((c) => c.subject.startsWith("Dernier appel : "))).toBe(true);
  });
});
