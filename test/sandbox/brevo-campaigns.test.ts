import { Brevo, BrevoTimeoutError } from "@getbrevo/brevo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBrevoSimulator } from "../../src/sandbox/brevo.js";
import { startBrevoSimulator } from "../../src/sandbox/brevo.js";
import { responseViolations } from "../support/openapi-contract.js";
import type { Shop } from "./brevo.fixtures.js";
import { brevoError, newShop } from "./brevo.fixtures.js";

const SPEC = "brevo-api-v3.yml";
const HTML = "<html><body>Orders are open {{ unsubscribe }}</body></html>";
let server: RunningBrevoSimulator;

beforeAll(async () => {
  server = await startBrevoSimulator();
});
afterAll(async () => {
  await server.close();
});

/** A shop with one active and one inactive sender and a list of `members` contacts. */
function shopWithAudience(input: Parameters<typeof newShop>[2] = {}, members = 3, maxRetries = 0) {
  const shop = newShop(
    server.sim,
    server.basePath,
    {
      senders: [
        { name: "Farm", email: "news@farm.example.org" },
        { name: "Old", email: "old@farm.example.org", active: false },
      ],
      ...input,
    },
    maxRetries,
  );
  const list = server.sim.addList(shop.apiKey, { name: "Customers" });
  for (let i = 0; i < members; i += 1) {
    server.sim.addContact(shop.apiKey, { email: `c${i}@example.org`, listIds: [list.id] });
  }
  return { ...shop, listId: list.id };
}

const campaignInput = (listId: number, sender: Brevo.CreateEmailCampaignRequest["sender"] = { id: 1 }) => ({
  name: "OC 42 - Farm",
  subject: "Orders are open",
  sender,
  htmlContent: HTML,
  recipients: { listIds: [listId] },
});

const createCampaign = (shop: Shop & { listId: number }) =>
  shop.client.emailCampaigns.createEmailCampaign(campaignInput(shop.listId));

describe("campaign creation", () => {
  it.each([
    ["an unknown sender", { email: "stranger@example.org" }],
    ["an inactive sender", { id: 2 }],
    ["both id and email", { id: 1, email: "news@farm.example.org" }],
  ])("refuses %s with 400 invalid_parameter", async (_case, sender) => {
    const shop = shopWithAudience();
    const error = await brevoError(
      shop.client.emailCampaigns.createEmailCampaign(campaignInput(shop.listId, sender)),
    );
    expect(error).toBeInstanceOf(Brevo.BadRequestError);
    expect(error.body).toMatchObject({ code: "invalid_parameter" });
    expect(responseViolations(SPEC, "post", "/emailCampaigns", 400, error.body)).toEqual([]);
    expect(server.sim.account(shop.apiKey).campaigns.size).toBe(0);
  });

  it("names the sender problem the way Brevo does", async () => {
    const shop = shopWithAudience();
    const error = await brevoError(
      shop.client.emailCampaigns.createEmailCampaign(campaignInput(shop.listId, { email: "x@example.org" })),
    );
    expect(error.body).toEqual({ code: "invalid_parameter", message: "Sender is invalid / inactive" });
  });

  it("creates a draft (201 {id}) that reads back per the spec", async () => {
    const shop = shopWithAudience();
    const created = await createCampaign(shop);
    expect(responseViolations(SPEC, "post", "/emailCampaigns", 201, created)).toEqual([]);
    const campaign = await shop.client.emailCampaigns.getEmailCampaign({ campaignId: created.id });
    expect(campaign).toMatchObject({ status: "draft", subject: "Orders are open", htmlContent: HTML });
    expect(responseViolations(SPEC, "get", "/emailCampaigns/{campaignId}", 200, campaign)).toEqual([]);
    const drafts = await shop.client.emailCampaigns.getEmailCampaigns({ status: "draft" });
    expect(drafts.campaigns?.map((c) => c.id)).toEqual([created.id]);
    expect(responseViolations(SPEC, "get", "/emailCampaigns", 200, drafts)).toEqual([]);
  });

  it("copies an active template's content when created from templateId", async () => {
    const shop = shopWithAudience();
    const template = server.sim.addTemplate(shop.apiKey, {
      name: "OC open",
      htmlContent: "<p>{{ params.OC }}</p>",
    });
    const listed = await shop.client.transactionalEmails.getSmtpTemplates();
    expect(responseViolations(SPEC, "get", "/smtp/templates", 200, listed)).toEqual([]);
    const { id } = await shop.client.emailCampaigns.createEmailCampaign({
      name: "From template",
      subject: "Open",
      sender: { id: 1 },
      templateId: template.id,
      params: { OC: "42" },
      recipients: { listIds: [shop.listId] },
    });
    const stored = server.sim.account(shop.apiKey).campaigns.get(id);
    expect(stored).toMatchObject({
      htmlContent: "<p>{{ params.OC }}</p>",
      templateId: template.id,
      params: { OC: "42" },
    });
  });

  it("answers 405 for tag on a standard plan", async () => {
    const shop = shopWithAudience();
    const error = await brevoError(
      shop.client.emailCampaigns.createEmailCampaign({ ...campaignInput(shop.listId), tag: "ofn" }),
    );
    expect(error.statusCode).toBe(405);
    expect(error).toBeInstanceOf(Brevo.MethodNotAllowedError);
  });
});

describe("sending", () => {
  it("sends once to the non-blocklisted members, then refuses a second sendNow", async () => {
    const shop = shopWithAudience({ emailCredits: 300 });
    server.sim.blocklist(shop.apiKey, "c1@example.org");
    const { id } = await createCampaign(shop);
    await shop.client.emailCampaigns.sendEmailCampaignNow({ campaignId: id });
    const campaign = server.sim.account(shop.apiKey).campaigns.get(id);
    expect(campaign?.status).toBe("sent");
    expect(campaign?.sentDate).toEqual(expect.any(String));
    expect(campaign?.sentTo.sort()).toEqual(["c0@example.org", "c2@example.org"]);
    expect(server.sim.account(shop.apiKey).emailCredits).toBe(298);

    const again = await brevoError(shop.client.emailCampaigns.sendEmailCampaignNow({ campaignId: id }));
    expect(again.statusCode).toBe(400);
    expect(responseViolations(SPEC, "post", "/emailCampaigns/{campaignId}/sendNow", 400, again.body)).toEqual(
      [],
    );
  });

  it("refuses sendNow while the account is under validation", async () => {
    const shop = shopWithAudience({ underValidation: true });
    const { id } = await createCampaign(shop);
    const error = await brevoError(shop.client.emailCampaigns.sendEmailCampaignNow({ campaignId: id }));
    expect(error.statusCode).toBe(400);
    expect(error.body).toMatchObject({ code: "account_under_validation" });
  });

  it("answers 402 not_enough_credits when the lists outnumber the credits", async () => {
    const shop = shopWithAudience({ emailCredits: 2 }, 3);
    const { id } = await createCampaign(shop);
    const error = await brevoError(shop.client.emailCampaigns.sendEmailCampaignNow({ campaignId: id }));
    expect(error).toBeInstanceOf(Brevo.PaymentRequiredError);
    expect(error.statusCode).toBe(402);
    expect(error.body).toMatchObject({ code: "not_enough_credits" });
    expect(responseViolations(SPEC, "post", "/emailCampaigns/{campaignId}/sendNow", 402, error.body)).toEqual(
      [],
    );
    expect(server.sim.account(shop.apiKey).campaigns.get(id)?.status).toBe("draft");
  });

  it("sends tests to existing contacts, at most 50 a day", async () => {
    const shop = shopWithAudience();
    const { id } = await createCampaign(shop);
    await shop.client.emailCampaigns.sendTestEmail({ campaignId: id, body: { emailTo: ["c0@example.org"] } });
    const campaign = await shop.client.emailCampaigns.getEmailCampaign({ campaignId: id });
    expect(campaign.testSent).toBe(true);
    expect(server.sim.account(shop.apiKey).campaigns.get(id)?.testsSent).toEqual([
      { emailTo: ["c0@example.org"], at: expect.any(Number) },
    ]);
    const unknown = await brevoError(
      shop.client.emailCampaigns.sendTestEmail({ campaignId: id, body: { emailTo: ["nobody@example.org"] } }),
    );
    expect(unknown.body).toMatchObject({ unexistingEmails: ["nobody@example.org"] });
    expect(
      responseViolations(SPEC, "post", "/emailCampaigns/{campaignId}/sendTest", 400, unknown.body),
    ).toEqual([]);
    const many = Array.from({ length: 50 }, () => "c0@example.org");
    const tooMany = await brevoError(
      shop.client.emailCampaigns.sendTestEmail({ campaignId: id, body: { emailTo: many } }),
    );
    expect(tooMany.statusCode).toBe(400);
  });

  it("queues a scheduled campaign, which needs listIds, and sends it once its time has come", async () => {
    const shop = shopWithAudience();
    const scheduledAt = new Date(Date.now() + 3_600_000).toISOString();
    const noList = await brevoError(
      shop.client.emailCampaigns.createEmailCampaign({
        ...campaignInput(shop.listId),
        recipients: {},
        scheduledAt,
      }),
    );
    expect(noList.statusCode).toBe(400);
    const { id } = await shop.client.emailCampaigns.createEmailCampaign({
      ...campaignInput(shop.listId),
      scheduledAt,
    });
    const stored = server.sim.account(shop.apiKey).campaigns.get(id);
    expect(stored?.status).toBe("queued");
    if (stored) stored.scheduledAt = new Date(Date.now() - 1000).toISOString();
    const campaign = await shop.client.emailCampaigns.getEmailCampaign({ campaignId: id });
    expect(campaign.status).toBe("sent");
    expect(stored?.sentTo).toHaveLength(3);
  });

  it("updates the status (archive) with PUT /status", async () => {
    const shop = shopWithAudience();
    const { id } = await createCampaign(shop);
    await shop.client.emailCampaigns.updateCampaignStatus({ campaignId: id, body: { status: "archive" } });
    expect(server.sim.account(shop.apiKey).campaigns.get(id)?.status).toBe("archive");
  });
});

describe("rate limits", () => {
  it("answers one 429 with x-sib-ratelimit-* headers for the 11th contact request in a second", async () => {
    const shop = shopWithAudience();
    const calls = Array.from({ length: 11 }, () =>
      shop.client.contacts.getContactInfo({ identifier: "c0@example.org" }).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    const failures = (await Promise.all(calls)).filter(
      (e) => e !== undefined,
    ) as Brevo.TooManyRequestsError[];
    expect(failures).toHaveLength(1);
    const [limited] = failures;
    expect(limited?.statusCode).toBe(429);
    expect(limited?.body).toMatchObject({ code: "too_many_requests" });
    const headers = limited?.rawResponse?.headers;
    expect(headers?.get("x-sib-ratelimit-limit")).toBe("10");
    expect(headers?.get("x-sib-ratelimit-remaining")).toBe("0");
    expect(Number(headers?.get("x-sib-ratelimit-reset"))).toBe(1);
  });

  it("shares the general bucket between /account, /senders and /emailCampaigns", async () => {
    server.sim.limits.generalPerHour = 3;
    try {
      const shop = shopWithAudience();
      const { data, rawResponse } = await shop.client.account.getAccount().withRawResponse();
      expect(data.email).toBeTruthy();
      expect(rawResponse.headers.get("x-sib-ratelimit-remaining")).toBe("2");
      await shop.client.senders.getSenders();
      await createCampaign(shop);
      const error = await brevoError(shop.client.account.getAccount());
      expect(error.statusCode).toBe(429);
      const reset = Number(error.rawResponse?.headers.get("x-sib-ratelimit-reset"));
      expect(reset).toBeGreaterThan(3500);
      // The contacts bucket is separate.
      await shop.client.contacts.getLists();
    } finally {
      server.sim.limits.generalPerHour = 100;
    }
  });
});

describe("SDK retries (why the bridge sets maxRetries: 0)", () => {
  it("re-sends a POST after a 500: default maxRetries retries createEmailCampaign", async () => {
    const shop = shopWithAudience({}, 3, 2);
    server.sim.controls.addFault({
      method: "POST",
      pathPrefix: "/emailCampaigns",
      status: 500,
      remaining: 1,
    });
    const before = server.sim.controls.countRequests({ method: "POST", pathPrefix: "/emailCampaigns" });
    await createCampaign(shop);
    // The faulted request never reached auth, so it carries no account label: count by path.
    expect(
      server.sim.controls.countRequests({ method: "POST", pathPrefix: "/emailCampaigns" }) - before,
    ).toBe(2);
    expect(server.sim.account(shop.apiKey).campaigns.size).toBe(1);
  });

  it("duplicates the campaign when Brevo created it but answered 502", async () => {
    const shop = shopWithAudience({}, 3, 2);
    server.sim.addCommitFault({ method: "POST", pathPrefix: "/emailCampaigns", status: 502, remaining: 1 });
    const { id } = await createCampaign(shop);
    expect(id).toBe(2);
    expect([...server.sim.account(shop.apiKey).campaigns.values()].map((c) => c.name)).toEqual([
      "OC 42 - Farm",
      "OC 42 - Farm",
    ]);
  });

  it("retries a 429 after about a second, ignoring x-sib-ratelimit-reset", async () => {
    server.sim.limits.generalPerHour = 1;
    try {
      const shop = shopWithAudience({}, 3, 1);
      await shop.client.account.getAccount();
      const started = Date.now();
      const error = await brevoError(shop.client.account.getAccount());
      expect(error.statusCode).toBe(429);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(server.sim.controls.countRequests({ pathPrefix: "/account", account: shop.label })).toBe(3);
    } finally {
      server.sim.limits.generalPerHour = 100;
    }
  });

  it("does not retry a timeout, which surfaces as a plain BrevoError without statusCode", async () => {
    const shop = shopWithAudience({}, 3, 2);
    server.sim.controls.addFault({ method: "GET", pathPrefix: "/senders", hang: true, remaining: 1 });
    const before = server.sim.controls.countRequests({ pathPrefix: "/senders" });
    const error = await brevoError(shop.client.senders.getSenders({}, { timeoutInSeconds: 0.3 }));
    // The SDK aborts with the string "timeout", which Node's fetch rethrows as is; the SDK only
    // maps an AbortError to BrevoTimeoutError, so on Node the class never appears.
    expect(error).not.toBeInstanceOf(BrevoTimeoutError);
    expect(error.statusCode).toBeUndefined();
    expect(error.cause).toBe("timeout");
    expect(server.sim.controls.countRequests({ pathPrefix: "/senders" }) - before).toBe(1);
    server.sim.controls.releaseHanging();
  });
});
