/**
 * Mailchimp and Brevo failing under a sync and under campaign sending: Mailchimp's 429 and
 * body-less 403 (its throttling, easily mistaken for a refused key), Brevo's 5xx and 429, and
 * answers that say "error" although the work was done (Brevo commit faults). Short failures are
 * absorbed with the fault-free audience; lasting ones fail the run clearly without marking the
 * connection broken; campaigns stay one per opening, sent once.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns } from "../../src/db/schema/index.js";
import { ACTIVE_STATUSES } from "../../src/jobs/campaign-queue.js";
import {
  addSubscriber,
  campaignDeps,
  drain,
  providerCampaigns,
  webhookToken,
} from "../campaigns/provider-world.js";
import { nextCycleId, openedBody } from "../campaigns/support.js";
import type { TestShop, World } from "../support/world.js";
import { createShop, createWorld } from "../support/world.js";
import {
  audienceText,
  connectionState,
  createTwinShop,
  referenceAudience,
  syncNow,
  twinCustomers,
} from "./support.js";

// 250 customers: one provider write chunk.
const CUSTOMERS = twinCustomers(250, 8);
const ACTIVE = new Set<string>(ACTIVE_STATUSES);

describe("Mailchimp throttling", () => {
  let world: World;
  let reference: string;
  beforeAll(async () => {
    world = await createWorld();
    reference = await referenceAudience(world, { provider: "mailchimp", customers: CUSTOMERS });
  });
  afterAll(() => world.close());

  it("repeats a batch refused with 429 or a body-less 403, reads fields again, and writes each contact once", async () => {
    const shop = await createTwinShop(world, { provider: "mailchimp", customers: CUSTOMERS });
    const controls = world.mailchimp.controls;
    controls.requests = [];
    controls.addFault({
      method: "GET",
      pathPrefix: `/lists/${shop.audienceId}/merge-fields`,
      status: 403,
      body: null,
      remaining: 1,
    });
    controls.addFault({
      method: "POST",
      pathPrefix: "/batches",
      status: 429,
      body: { title: "Too Many Requests", status: 429 },
      remaining: 1,
    });
    controls.addFault({ method: "POST", pathPrefix: "/batches", status: 403, body: null, remaining: 1 });
    const run = await syncNow(world, shop);
    expect(run.status, run.errorMessage ?? "").toBe("succeeded");
    expect(controls.faults).toEqual([]);
    const posts = controls.requests.filter((r) => r.method === "POST" && r.path === "/batches");
    expect(posts.map((r) => r.status)).toEqual([429, 403, 200]);
    // Refused twice, accepted once: the account holds exactly one batch.
    expect(world.mailchimp.account(shop.providerKey).batches.size).toBe(1);
    expect(audienceText(world, shop)).toBe(reference);
    expect(await connectionState(world, shop)).toEqual({ shop: "active", provider: "ok" });
  });

  it("never reads a lasting body-less 403 as a refused key: the run fails as busy, the next one completes", async () => {
    const shop = await createTwinShop(world, { provider: "mailchimp", customers: CUSTOMERS });
    world.mailchimp.controls.addFault({
      method: "POST",
      pathPrefix: "/batches",
      status: 403,
      body: null,
      remaining: 1_000,
    });
    let failed: Awaited<ReturnType<typeof syncNow>>;
    try {
      failed = await syncNow(world, shop);
    } finally {
      world.mailchimp.controls.faults = [];
    }
    // The run ends as "busy" instead of the connection being cut as if the key were refused.
    expect(failed.status).toBe("failed");
    expect(failed.errorCode).toBe("MAILCHIMP_UNAVAILABLE");
    expect(failed.errorMessage).toBe("Mailchimp is busy (too many requests) while starting a batch.");
    expect(await connectionState(world, shop)).toEqual({ shop: "active", provider: "ok" });
    expect(world.mailchimp.account(shop.providerKey).batches.size).toBe(0);
    const next = await syncNow(world, shop);
    expect(next.status).toBe("succeeded");
    expect(audienceText(world, shop)).toBe(reference);
  });
});

describe("Brevo 5xx and 429", () => {
  let world: World;
  let reference: string;
  beforeAll(async () => {
    world = await createWorld();
    reference = await referenceAudience(world, { provider: "brevo", customers: CUSTOMERS });
  });
  afterAll(() => world.close());

  it("repeats an import answered 503 or 429 (even one Brevo took), and ends with the reference audience", async () => {
    const shop = await createTwinShop(world, { provider: "brevo", customers: CUSTOMERS });
    const controls = world.brevo.controls;
    controls.requests = [];
    controls.addFault({
      method: "POST",
      pathPrefix: "/contacts/import",
      status: 503,
      body: { code: "internal_error", message: "unavailable" },
      remaining: 1,
    });
    controls.addFault({
      method: "POST",
      pathPrefix: "/contacts/import",
      status: 429,
      body: { code: "too_many_requests", message: "slow down" },
      headers: { "x-sib-ratelimit-reset": "1" },
      remaining: 1,
    });
    // The import runs, but the answer says 500: repeating it must not change the outcome.
    world.brevo.addCommitFault({ method: "POST", pathPrefix: "/contacts/import", status: 500, remaining: 1 });
    const run = await syncNow(world, shop);
    expect(run.status, run.errorMessage ?? "").toBe("succeeded");
    const imports = controls.requests.filter((r) => r.method === "POST" && r.path === "/contacts/import");
    expect(imports.map((r) => r.status).slice(0, 3)).toEqual([503, 429, 500]);
    expect(controls.faults).toEqual([]);
    expect(audienceText(world, shop)).toBe(reference);
    expect(await connectionState(world, shop)).toEqual({ shop: "active", provider: "ok" });
  });

  it("fails a run on a lasting 5xx with a clear reason, keeps the connection, and the next run completes", async () => {
    const shop = await createTwinShop(world, { provider: "brevo", customers: CUSTOMERS });
    world.brevo.controls.addFault({
      method: "POST",
      pathPrefix: "/contacts/import",
      status: 502,
      body: null,
      remaining: 1_000,
    });
    let failed: Awaited<ReturnType<typeof syncNow>>;
    try {
      failed = await syncNow(world, shop);
    } finally {
      world.brevo.controls.faults = [];
    }
    expect(failed.status).toBe("failed");
    expect(failed.errorCode).toBe("BREVO_UNAVAILABLE");
    expect(failed.errorMessage).toBe("Brevo is temporarily unavailable (HTTP 502); trying again later.");
    expect(await connectionState(world, shop)).toEqual({ shop: "active", provider: "ok" });
    expect((await syncNow(world, shop)).status).toBe("succeeded");
    expect(audienceText(world, shop)).toBe(reference);
  });
});

describe("campaigns meeting throttling and ambiguous answers", () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.close());

  async function openCycle(provider: "mailchimp" | "brevo") {
    const shop = await createShop(world, { provider });
    addSubscriber(world, shop, `reader-${shop.shopId}@example.org`);
    const token = await webhookToken(world, shop.shopId);
    const body = openedBody({
      cycleId: nextCycleId(),
      coordinatorId: shop.enterpriseIds[0]!,
      openedAt: new Date().toISOString(),
      closeAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const res = await world.t.app.request(`/webhooks/ofn/${token}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return shop;
  }

  /**
   * Runs claims until the shop's campaigns are final. A failure puts a row back after a backoff
   * of at least the provider's reset (Brevo's x-sib-ratelimit-reset: 1 s), so this polls; bounded.
   */
  async function runToEnd(shop: TestShop): Promise<number> {
    const db = world.t.deps.database.db;
    let claims = 0;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      claims += await drain(campaignDeps(world));
      const rows = await db.select().from(campaigns).where(eq(campaigns.shopId, shop.shopId));
      if (rows.length > 0 && rows.every((row) => !ACTIVE.has(row.status))) return claims;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("campaign did not reach a final state in 10 s");
  }

  it("Mailchimp: a 429 on create and a body-less 403 on send are retried later: one campaign, sent once", async () => {
    const shop = await openCycle("mailchimp");
    const controls = world.mailchimp.controls;
    controls.addFault({
      method: "POST",
      pathPrefix: "/campaigns",
      status: 429,
      body: { title: "Too Many Requests", status: 429 },
      remaining: 1,
    });
    controls.addFault({ method: "POST", pathPrefix: "/campaigns/", status: 403, body: null, remaining: 1 });
    const claims = await runToEnd(shop);
    expect(controls.faults).toEqual([]);
    expect(claims).toBeGreaterThanOrEqual(3);
    const seen = providerCampaigns(world, shop);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.status).toBe("sent");
    expect(seen[0]!.sentTo).toEqual([`reader-${shop.shopId}@example.org`]);
    expect(await connectionState(world, shop)).toEqual({ shop: "active", provider: "ok" });
  });

  it("Brevo: a create and a send that went through but answered 500, and a 429, still make one campaign sent once", async () => {
    const campaignPosts = () =>
      world.brevo.controls.requests
        .filter((r) => r.method === "POST" && r.path.startsWith("/emailCampaigns"))
        .map((r) => `${r.path.replace(/\d+/g, "#")} ${r.status}`);
    const shop = await openCycle("brevo");
    world.brevo.controls.requests = [];
    world.brevo.addCommitFault({ method: "POST", pathPrefix: "/emailCampaigns", status: 500, remaining: 1 });
    world.brevo.controls.addFault({
      method: "POST",
      pathPrefix: "/emailCampaigns/",
      status: 429,
      body: { code: "too_many_requests", message: "slow down" },
      headers: { "x-sib-ratelimit-reset": "1" },
      remaining: 1,
    });
    await runToEnd(shop);
    expect(campaignPosts()).toEqual([
      "/emailCampaigns 500",
      "/emailCampaigns/#/sendNow 429",
      "/emailCampaigns/#/sendNow 204",
    ]);
    // The send itself commits, then answers 502: the next claim must ask Brevo, not send again.
    const seenBefore = providerCampaigns(world, shop);
    expect(seenBefore).toHaveLength(1);
    expect(seenBefore[0]!.status).toBe("sent");
    expect(seenBefore[0]!.sentTo).toEqual([`reader-${shop.shopId}@example.org`]);

    const second = await openCycle("brevo");
    world.brevo.controls.requests = [];
    world.brevo.addCommitFault({ method: "POST", pathPrefix: "/emailCampaigns/", status: 502, remaining: 1 });
    await runToEnd(second);
    expect(campaignPosts()).toEqual(["/emailCampaigns 201", "/emailCampaigns/#/sendNow 502"]);
    const seen = providerCampaigns(world, second);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.status).toBe("sent");
    expect(seen[0]!.sentTo).toEqual([`reader-${second.shopId}@example.org`]);
  });
});
