import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/errors.js";
import type { CampaignInput } from "../../src/providers/types.js";
import { type Harness, type Shop, seedShop, startHarness } from "./mailchimp-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.sim.controls.faults = [];
});

const VERIFIED = "news@greengrocer.org";

/** A shop whose audience has two subscribed customers tagged "Hub A", one untagged, one unsubscribed. */
function shopWithAudience(opts: { canSchedule?: boolean; verified?: string[] } = {}): Shop {
  const shop = seedShop(h, { fromEmailVerified: opts.verified ?? ["greengrocer.org"], ...opts });
  const add = (email: string, status: "subscribed" | "unsubscribed", tags: string[] = []) =>
    h.sim.addMember(shop.key, shop.listId, { email, status, tags });
  add("ann@farm.org", "subscribed", ["Hub A"]);
  add("bob@farm.org", "subscribed", ["Hub A"]);
  add("cat@farm.org", "subscribed");
  add("dan@farm.org", "unsubscribed", ["Hub A"]);
  return shop;
}

const input = (shop: Shop, more: Partial<CampaignInput> = {}): CampaignInput => ({
  audienceId: shop.listId,
  title: "OC 12 – Green Grocer",
  subject: "Order cycle open",
  previewText: "Fresh veg this week",
  fromName: "Green Grocer",
  replyTo: VERIFIED,
  html: "<p>Shop now</p><p>*|UNSUB|*</p>",
  ...more,
});

const stored = (shop: Shop, id: string) => h.sim.account(shop.key).campaigns.get(id);

async function failure(call: Promise<unknown>): Promise<UpstreamError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe("campaign flow", () => {
  it("creates, fills, stops at an unverified sender with its reason, then sends once", async () => {
    const shop = shopWithAudience({ verified: [] });
    const { provider } = shop;
    const campaign = await provider.createCampaign(input(shop, { replyTo: "shop@farmers.example.org" }));
    expect(campaign.status).toBe("draft");
    expect(campaign.url).toMatch(/^https:\/\/admin\.mailchimp\.com\/campaigns\/edit\?id=\d+$/);
    expect(stored(shop, campaign.id)?.settings).toMatchObject({
      title: "OC 12 – Green Grocer",
      subject_line: "Order cycle open",
      preview_text: "Fresh veg this week",
      from_name: "Green Grocer",
      reply_to: "shop@farmers.example.org",
    });
    await provider.setCampaignContent(campaign.id, input(shop));
    expect(stored(shop, campaign.id)?.content?.html).toBe("<p>Shop now</p><p>*|UNSUB|*</p>");

    const notReady = await failure(provider.checkCampaign(campaign.id));
    expect(notReady.permanent).toBe(true);
    expect(notReady.message).toContain("shop@farmers.example.org is not verified");
    expect(notReady.message).toContain("Sender");

    h.sim.account(shop.key).fromEmailVerified.push("farmers.example.org");
    await provider.checkCampaign(campaign.id);
    await provider.sendCampaign(campaign.id);
    expect(await provider.getCampaign(campaign.id)).toMatchObject({ id: campaign.id, status: "sent" });
    expect((await provider.getCampaign(campaign.id))?.url).toBe(`http://eepurl.com/sandbox-${campaign.id}`);
    expect(stored(shop, campaign.id)?.sentTo.sort()).toEqual([
      "ann@farm.org",
      "bob@farm.org",
      "cat@farm.org",
    ]);
    expect(
      h.sim.controls.countRequests({ method: "POST", pathPrefix: `/campaigns/${campaign.id}/actions/send` }),
    ).toBe(1);
  });

  it("never repeats a send, even after a 5xx", async () => {
    const shop = shopWithAudience();
    const campaign = await shop.provider.createCampaign(input(shop));
    await shop.provider.setCampaignContent(campaign.id, input(shop));
    const path = `/campaigns/${campaign.id}/actions/send`;
    h.sim.controls.addFault({ method: "POST", pathPrefix: path, status: 503, body: null, remaining: 1 });
    const error = await failure(shop.provider.sendCampaign(campaign.id));
    expect(error.retryable).toBe(true);
    expect(h.sim.controls.countRequests({ method: "POST", pathPrefix: path })).toBe(1);
    expect((await shop.provider.getCampaign(campaign.id))?.status).toBe("draft");
  });

  it("sends only to the tag's contacts, and refuses a tag nobody has", async () => {
    const shop = shopWithAudience();
    const campaign = await shop.provider.createCampaign(input(shop, { segmentTag: "hub a" }));
    const segment = [...h.sim.account(shop.key).lists.get(shop.listId)!.segments.values()].find(
      (s) => s.name === "Hub A",
    );
    expect(stored(shop, campaign.id)?.recipients).toEqual({
      list_id: shop.listId,
      segment_opts: {
        match: "all",
        conditions: [
          { condition_type: "StaticSegment", field: "static_segment", op: "static_is", value: segment?.id },
        ],
      },
    });
    await shop.provider.setCampaignContent(campaign.id, input(shop));
    await shop.provider.checkCampaign(campaign.id);
    await shop.provider.sendCampaign(campaign.id);
    expect(stored(shop, campaign.id)?.sentTo.sort()).toEqual(["ann@farm.org", "bob@farm.org"]);

    const unknown = await failure(shop.provider.createCampaign(input(shop, { segmentTag: "Nobody" })));
    expect([unknown.permanent, unknown.message]).toEqual([
      true,
      'No contact in this Mailchimp audience has the tag "Nobody".',
    ]);
  });

  it("copies the shop's campaign for a template and keeps its design", async () => {
    const shop = shopWithAudience();
    const design = await shop.provider.createCampaign(
      input(shop, { title: "Template: cycle open", subject: "Old subject", replyTo: "old@greengrocer.org" }),
    );
    await shop.provider.setCampaignContent(design.id, input(shop, { html: "<h1>Our design</h1>*|UNSUB|*" }));
    const templated = input(shop, {
      providerTemplateId: design.id,
      segmentTag: "Hub A",
      html: "<p>ignored</p>",
    });
    const campaign = await shop.provider.createCampaign(templated);
    await shop.provider.setCampaignContent(campaign.id, templated);
    expect(campaign.id).not.toBe(design.id);
    const copy = stored(shop, campaign.id);
    expect(copy?.settings).toMatchObject({
      title: "OC 12 – Green Grocer",
      subject_line: "Order cycle open",
      reply_to: VERIFIED,
    });
    expect(copy?.recipients.segment_opts?.conditions).toHaveLength(1);
    expect(copy?.content?.html).toBe("<h1>Our design</h1>*|UNSUB|*");
    expect(stored(shop, design.id)?.settings.title).toBe("Template: cycle open");
    expect(await shop.provider.findCampaignByTitle("OC 12 – Green Grocer")).toMatchObject({
      id: campaign.id,
    });
  });

  it("finds a campaign by its exact title only", async () => {
    const shop = shopWithAudience();
    const first = await shop.provider.createCampaign(input(shop, { title: "OC 1 – Shop" }));
    const second = await shop.provider.createCampaign(input(shop, { title: "OC 10 – Shop" }));
    expect(await shop.provider.findCampaignByTitle("OC 1 – Shop")).toEqual({
      id: first.id,
      status: "draft",
      url: first.url,
    });
    expect((await shop.provider.findCampaignByTitle("OC 10 – Shop"))?.id).toBe(second.id);
    expect(await shop.provider.findCampaignByTitle("OC 1")).toBeUndefined();
    const query = h.sim.controls.requests.findLast((r) => r.path === "/campaigns")?.query ?? "";
    expect(Object.fromEntries(new URLSearchParams(query))).toMatchObject({
      count: "1000",
      sort_field: "create_time",
      sort_dir: "DESC",
    });
  });

  it("sends a test as html", async () => {
    const shop = shopWithAudience();
    const campaign = await shop.provider.createCampaign(input(shop));
    await shop.provider.setCampaignContent(campaign.id, input(shop));
    await shop.provider.sendTest(campaign.id, ["owner@greengrocer.org"]);
    expect(stored(shop, campaign.id)?.testSends).toMatchObject([
      { emails: ["owner@greengrocer.org"], sendType: "html" },
    ]);
  });
});

describe("scheduling and cancelling", () => {
  /** Tomorrow at hh:mm UTC. */
  const tomorrowAt = (hours: number, minutes: number) => {
    const at = new Date(Date.now() + 86_400_000);
    at.setUTCHours(hours, minutes, 0, 0);
    return at;
  };

  it("rounds 10:07 up to 10:15 and says so", async () => {
    const shop = shopWithAudience();
    const campaign = await shop.provider.createCampaign(input(shop));
    await shop.provider.setCampaignContent(campaign.id, input(shop));
    const at = await shop.provider.scheduleCampaign(campaign.id, tomorrowAt(10, 7));
    expect(at.toISOString()).toBe(tomorrowAt(10, 15).toISOString());
    expect(stored(shop, campaign.id)?.scheduleTime).toBe(at.getTime());
    expect((await shop.provider.getCampaign(campaign.id))?.status).toBe("scheduled");
    const onTheHour = await shop.provider.createCampaign(input(shop, { title: "on the hour" }));
    await shop.provider.setCampaignContent(onTheHour.id, input(shop));
    expect((await shop.provider.scheduleCampaign(onTheHour.id, tomorrowAt(11, 30))).toISOString()).toBe(
      tomorrowAt(11, 30).toISOString(),
    );
  });

  it("explains that scheduling needs a paid plan", async () => {
    const shop = shopWithAudience({ canSchedule: false });
    const campaign = await shop.provider.createCampaign(input(shop));
    await shop.provider.setCampaignContent(campaign.id, input(shop));
    const error = await failure(shop.provider.scheduleCampaign(campaign.id, tomorrowAt(9, 0)));
    expect([error.message, error.permanent, error.options.status]).toEqual([
      "Scheduling needs a paid Mailchimp plan.",
      true,
      403,
    ]);
  });

  it("unschedules a scheduled campaign and deletes a draft", async () => {
    const shop = shopWithAudience();
    const scheduled = await shop.provider.createCampaign(input(shop));
    await shop.provider.setCampaignContent(scheduled.id, input(shop));
    await shop.provider.scheduleCampaign(scheduled.id, tomorrowAt(8, 0));
    await shop.provider.cancelCampaign(scheduled.id);
    expect((await shop.provider.getCampaign(scheduled.id))?.status).toBe("draft");
    await shop.provider.cancelCampaign(scheduled.id);
    expect(await shop.provider.getCampaign(scheduled.id)).toBeUndefined();
    await shop.provider.cancelCampaign(scheduled.id);

    const sent = await shop.provider.createCampaign(input(shop, { title: "sent" }));
    await shop.provider.setCampaignContent(sent.id, input(shop));
    await shop.provider.sendCampaign(sent.id);
    const error = await failure(shop.provider.cancelCampaign(sent.id));
    expect(error.message).toContain("already been sent");
  });
});
