import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignInput } from "../../src/providers/types.js";
import type { BrevoAccountInput, RunningBrevoSimulator } from "../../src/sandbox/brevo.js";
import { startBrevoSimulator } from "../../src/sandbox/brevo.js";
import { brevoShop, contact, requestsOf, upstreamError } from "./brevo-harness.js";

let server: RunningBrevoSimulator;

beforeAll(async () => {
  server = await startBrevoSimulator({ importProcessingMs: 20 });
});
afterAll(async () => {
  await server.close();
});

const SENDERS = [
  { name: "Farm", email: "news@farm.example.org" },
  { name: "Old", email: "old@farm.example.org", active: false },
];

/** A shop with senders and `members` contacts in its audience. */
function shopWithAudience(input: Omit<BrevoAccountInput, "apiKey" | "label"> = {}, members = 3) {
  const shop = brevoShop(server, { senders: SENDERS, ...input });
  for (let i = 0; i < members; i++) {
    server.sim.addContact(shop.apiKey, { email: `c${i}@example.org`, listIds: [shop.listId] });
  }
  const input_ = (over: Partial<CampaignInput> = {}): CampaignInput => ({
    audienceId: shop.audienceId,
    title: "OC 42 – Green Farm – 2025-03-01",
    subject: "Orders are open",
    previewText: "Until Thursday",
    fromName: "Green Farm",
    replyTo: "news@farm.example.org",
    html: "<html><body>Orders are open {{ unsubscribe }}</body></html>",
    ...over,
  });
  return { ...shop, input: input_ };
}

describe("campaign lifecycle", () => {
  it("creates a draft, sets content, checks and sends it to the audience", async () => {
    const shop = shopWithAudience();
    const created = await shop.provider.createCampaign(shop.input());
    expect(created).toMatchObject({
      status: "draft",
      url: expect.stringMatching(/^https:\/\/app\.brevo\.com\//),
    });
    const stored = server.sim.account(shop.apiKey).campaigns.get(Number(created.id))!;
    expect(stored).toMatchObject({
      name: "OC 42 – Green Farm – 2025-03-01",
      subject: "Orders are open",
      previewText: "Until Thursday",
      sender: { id: 1, name: "Green Farm", email: "news@farm.example.org" },
      replyTo: "news@farm.example.org",
      recipients: { listIds: [shop.listId] },
    });

    await shop.provider.setCampaignContent(
      created.id,
      shop.input({ subject: "Now open", html: "<p>New body here</p>" }),
    );
    expect(stored).toMatchObject({ subject: "Now open", htmlContent: "<p>New body here</p>" });

    await shop.provider.checkCampaign(created.id);
    await shop.provider.sendCampaign(created.id);
    expect(stored.status).toBe("sent");
    expect(stored.sentTo.sort()).toEqual(["c0@example.org", "c1@example.org", "c2@example.org"]);
    await expect(shop.provider.getCampaign(created.id)).resolves.toMatchObject({
      id: created.id,
      status: "sent",
    });
    // Senders read once for create and check; the account once for the credits.
    expect(requestsOf(server, shop.label, "GET", "/senders")).toHaveLength(1);
    expect(requestsOf(server, shop.label, "GET", "/account")).toHaveLength(1);
  });

  it("uses a Brevo template with params when the shop chose one", async () => {
    const shop = shopWithAudience();
    const template = server.sim.addTemplate(shop.apiKey, {
      name: "Newsletter",
      htmlContent: "<p>{{ params.shop }}</p>",
    });
    const created = await shop.provider.createCampaign(
      shop.input({ providerTemplateId: String(template.id), templateParams: { shop: "Green Farm" } }),
    );
    expect(server.sim.account(shop.apiKey).campaigns.get(Number(created.id))).toMatchObject({
      templateId: template.id,
      params: { shop: "Green Farm" },
    });
  });

  it("sends to the 'OFN: <tag>' list when the campaign has a segment tag", async () => {
    const shop = shopWithAudience();
    const fields = await shop.provider.prepareFields(shop.audienceId);
    await shop.provider.writeContacts([contact("veg@example.org", { tags: ["veg"] })], fields, {
      audienceId: shop.audienceId,
      consent: "subscribed",
      brevoTagMode: "lists",
    });
    const created = await shop.provider.createCampaign(shop.input({ segmentTag: "veg" }));
    await shop.provider.sendCampaign(created.id);
    expect(server.sim.account(shop.apiKey).campaigns.get(Number(created.id))?.sentTo).toEqual([
      "veg@example.org",
    ]);

    const error = await upstreamError(shop.provider.createCampaign(shop.input({ segmentTag: "fruit" })));
    expect(error.options).toMatchObject({ permanent: true, providerCode: "segment_list_missing" });
  });

  it("schedules, reads back as scheduled, and cancels", async () => {
    const shop = shopWithAudience();
    const created = await shop.provider.createCampaign(shop.input());
    const at = new Date(Date.now() + 86_400_000);
    await expect(shop.provider.scheduleCampaign(created.id, at)).resolves.toEqual(at);
    await expect(shop.provider.getCampaign(created.id)).resolves.toMatchObject({ status: "scheduled" });
    await shop.provider.cancelCampaign(created.id);
    await expect(shop.provider.getCampaign(created.id)).resolves.toMatchObject({ status: "other" });
    expect(server.sim.account(shop.apiKey).campaigns.get(Number(created.id))?.status).toBe("suspended");
    await expect(shop.provider.getCampaign("999999")).resolves.toBeUndefined();
  });

  it("sends a test to the given addresses", async () => {
    const shop = shopWithAudience();
    const created = await shop.provider.createCampaign(shop.input());
    await shop.provider.sendTest(created.id, ["c1@example.org"]);
    expect(server.sim.account(shop.apiKey).campaigns.get(Number(created.id))?.testsSent).toEqual([
      { emailTo: ["c1@example.org"], at: expect.any(Number) },
    ]);
  });
});

describe("finding a campaign after a crash", () => {
  it("matches the exact title, newest first, over pages", async () => {
    const shop = shopWithAudience();
    // 107 creations do not fit Brevo's 100 requests/hour; this test is about paging, not budget.
    server.sim.limits.generalPerHour = 1000;
    try {
      const older = await shop.provider.createCampaign(shop.input({ title: "OC 7" }));
      for (let i = 0; i < 105; i++) await shop.provider.createCampaign(shop.input({ title: `Filler ${i}` }));
      const newer = await shop.provider.createCampaign(shop.input({ title: "OC 7" }));
      expect(newer.id).not.toBe(older.id);
      await expect(shop.provider.findCampaignByTitle("OC 7")).resolves.toMatchObject({
        id: newer.id,
        status: "draft",
      });
      const before = requestsOf(server, shop.label, "GET", "/emailCampaigns").length;
      // "Filler 0" is the 107th newest: found on the second page of 100.
      await expect(shop.provider.findCampaignByTitle("Filler 0")).resolves.toMatchObject({ status: "draft" });
      expect(requestsOf(server, shop.label, "GET", "/emailCampaigns").length - before).toBe(2);
      await expect(shop.provider.findCampaignByTitle("OC")).resolves.toBeUndefined();
    } finally {
      server.sim.limits.generalPerHour = 100;
    }
  });
});

describe("campaign failures", () => {
  it("never repeats a create POST: a 502 after Brevo committed leaves one campaign and a retryable error", async () => {
    const shop = shopWithAudience();
    server.sim.addCommitFault({ method: "POST", pathPrefix: "/emailCampaigns", status: 502, remaining: 1 });
    const error = await upstreamError(shop.provider.createCampaign(shop.input()));
    expect(error.options).toMatchObject({ status: 502, retryable: true });
    expect(server.sim.account(shop.apiKey).campaigns.size).toBe(1);
    expect(requestsOf(server, shop.label, "POST", "/emailCampaigns")).toHaveLength(1);
    // How the state machine recovers: by title, without a second campaign.
    const found = await shop.provider.findCampaignByTitle(shop.input().title);
    expect(found?.id).toBe(String([...server.sim.account(shop.apiKey).campaigns.keys()][0]));
  });

  it("does not repeat sendNow after a 429 either", async () => {
    const shop = shopWithAudience();
    const created = await shop.provider.createCampaign(shop.input());
    server.sim.controls.addFault({
      method: "POST",
      pathPrefix: `/emailCampaigns/${created.id}/sendNow`,
      status: 429,
      headers: { "x-sib-ratelimit-reset": "1" },
      remaining: 1,
    });
    const before = server.sim.controls.countRequests({
      method: "POST",
      pathPrefix: `/emailCampaigns/${created.id}`,
    });
    const error = await upstreamError(shop.provider.sendCampaign(created.id));
    expect(error.options).toMatchObject({ status: 429, retryable: true, retryAfterMs: 1000 });
    expect(
      server.sim.controls.countRequests({ method: "POST", pathPrefix: `/emailCampaigns/${created.id}` }),
    ).toBe(before + 1);
  });

  it("refuses a reply-to that is not a verified sender before calling Brevo", async () => {
    const shop = shopWithAudience();
    const error = await upstreamError(
      shop.provider.createCampaign(shop.input({ replyTo: "old@farm.example.org" })),
    );
    expect(error.options).toMatchObject({ permanent: true, providerCode: "sender_not_verified" });
    expect(error.message).toMatch(/"old@farm.example.org" is not a verified sender in Brevo/);
    expect(requestsOf(server, shop.label, "POST", "/emailCampaigns")).toHaveLength(0);
  });

  it("passes Brevo's reason on when the sender was deactivated since it was read", async () => {
    const shop = shopWithAudience();
    await shop.provider.listSenders();
    server.sim.account(shop.apiKey).senders[0]!.active = false;
    const error = await upstreamError(shop.provider.createCampaign(shop.input()));
    expect(error.options).toMatchObject({ status: 400, permanent: true, providerCode: "invalid_parameter" });
    expect(error.message).toContain('(Brevo: "Sender is invalid / inactive")');
    expect(error.message).toMatch(/not an active sender in Brevo/);
  });

  it("reports missing credits as permanent, from the check and from sendNow", async () => {
    const shop = shopWithAudience({ emailCredits: 2 });
    const created = await shop.provider.createCampaign(shop.input());
    await shop.provider.checkCampaign(created.id);
    const error = await upstreamError(shop.provider.sendCampaign(created.id));
    expect(error.options).toMatchObject({ status: 402, permanent: true, providerCode: "not_enough_credits" });
    expect(error.message).toMatch(/not enough email credits/);

    const broke = shopWithAudience({ emailCredits: 0 });
    const draft = await broke.provider.createCampaign(broke.input());
    const checked = await upstreamError(broke.provider.checkCampaign(draft.id));
    expect(checked.options).toMatchObject({ permanent: true, providerCode: "not_enough_credits" });
  });

  it("reports an account under validation as permanent when sending", async () => {
    const shop = shopWithAudience({ underValidation: true });
    const created = await shop.provider.createCampaign(shop.input());
    const error = await upstreamError(shop.provider.sendCampaign(created.id));
    expect(error.options).toMatchObject({ permanent: true, providerCode: "account_under_validation" });
    expect(error.message).toMatch(/still reviewing this account/);
  });

  it("check refuses an empty audience and an already sent campaign", async () => {
    const shop = shopWithAudience({}, 0);
    const created = await shop.provider.createCampaign(shop.input());
    const empty = await upstreamError(shop.provider.checkCampaign(created.id));
    expect(empty.options).toMatchObject({ permanent: true, providerCode: "empty_list" });

    const full = shopWithAudience();
    const sent = await full.provider.createCampaign(full.input());
    await full.provider.sendCampaign(sent.id);
    const again = await upstreamError(full.provider.checkCampaign(sent.id));
    expect(again.options).toMatchObject({ permanent: true, providerCode: "campaign_sent" });
  });
});
