/** /emailCampaigns (all in the 100 requests/hour general bucket). */
import type { Hono } from "hono";
import {
  applyCampaignFields,
  campaignJson,
  draftCampaign,
  sendCampaign,
  settleScheduled,
} from "./campaigns.js";
import type { BrevoContext, BrevoEnv } from "./http.js";
import { notFound, page, paging, readObject, sendFailure } from "./http.js";
import { failure, isFailure } from "./store.js";
import type { BrevoCampaign, CampaignStatus } from "./types.js";

const TEST_EMAILS_PER_DAY = 50;

function campaignFrom(c: BrevoContext): BrevoCampaign | Response {
  const account = c.get("account");
  settleScheduled(account);
  return account.campaigns.get(Number(c.req.param("campaignId"))) ?? notFound(c, "Campaign does not exist");
}

export function mountCampaignRoutes(api: Hono<BrevoEnv>): void {
  api.post("/emailCampaigns", async (c) => {
    const account = c.get("account");
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    const campaign = draftCampaign(account);
    const problem = applyCampaignFields(account, campaign, body, true);
    if (problem) return sendFailure(c, problem);
    account.seq.campaign = campaign.id;
    account.campaigns.set(campaign.id, campaign);
    return c.json({ id: campaign.id }, 201);
  });

  api.get("/emailCampaigns", (c) => {
    const account = c.get("account");
    settleScheduled(account);
    const p = paging(c, 50, 100);
    if (isFailure(p)) return sendFailure(c, p);
    // The filter says "inProcess" where campaign bodies say "in_process".
    const status = c.req.query("status")?.replace("inProcess", "in_process");
    const type = c.req.query("type");
    let campaigns = [...account.campaigns.values()];
    if (status) campaigns = campaigns.filter((x) => x.status === status);
    if (type && type !== "classic") campaigns = [];
    const withHtml = c.req.query("excludeHtmlContent") !== "true";
    return c.json({
      campaigns: page(campaigns, p).map((x) => campaignJson(x, withHtml)),
      count: campaigns.length,
    });
  });

  api.get("/emailCampaigns/:campaignId", (c) => {
    const campaign = campaignFrom(c);
    if (campaign instanceof Response) return campaign;
    return c.json(campaignJson(campaign));
  });

  api.put("/emailCampaigns/:campaignId", async (c) => {
    const campaign = campaignFrom(c);
    if (campaign instanceof Response) return campaign;
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    if (campaign.status === "sent")
      return sendFailure(c, failure(400, "campaign_sent", "Campaign is already sent"));
    const copy = structuredClone(campaign);
    const problem = applyCampaignFields(c.get("account"), copy, body, false);
    if (problem) return sendFailure(c, problem);
    Object.assign(campaign, copy);
    return c.body(null, 204);
  });

  api.delete("/emailCampaigns/:campaignId", (c) => {
    const campaign = campaignFrom(c);
    if (campaign instanceof Response) return campaign;
    c.get("account").campaigns.delete(campaign.id);
    return c.body(null, 204);
  });

  api.post("/emailCampaigns/:campaignId/sendNow", (c) => {
    const campaign = campaignFrom(c);
    if (campaign instanceof Response) return campaign;
    const problem = sendCampaign(c.get("account"), campaign);
    return problem ? sendFailure(c, problem) : c.body(null, 204);
  });

  api.post("/emailCampaigns/:campaignId/sendTest", async (c) => {
    const account = c.get("account");
    const campaign = campaignFrom(c);
    if (campaign instanceof Response) return campaign;
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    const given = Array.isArray(body.emailTo) ? body.emailTo.map((e) => String(e).trim().toLowerCase()) : [];
    // An empty emailTo goes to the account's test list; the sandbox's test list is the owner.
    const emailTo = given.length > 0 ? given : [account.email];
    const today = new Date().toISOString().slice(0, 10);
    if (account.testEmails.day !== today) account.testEmails = { day: today, count: 0 };
    if (account.testEmails.count + emailTo.length > TEST_EMAILS_PER_DAY) {
      return sendFailure(
        c,
        failure(400, "invalid_parameter", "You can not send more than 50 test emails per day"),
      );
    }
    const unexistingEmails = given.filter((e) => !account.contacts.has(e));
    const blackListedEmails = given.filter((e) => account.contacts.get(e)?.emailBlacklisted);
    if (unexistingEmails.length > 0 || blackListedEmails.length > 0) {
      return sendFailure(
        c,
        failure(400, "invalid_parameter", "Test email could not be sent to the following email addresses"),
        { unexistingEmails, blackListedEmails },
      );
    }
    account.testEmails.count += emailTo.length;
    campaign.testsSent.push({ emailTo, at: Date.now() });
    return c.body(null, 204);
  });

  api.put("/emailCampaigns/:campaignId/status", async (c) => {
    const account = c.get("account");
    const campaign = campaignFrom(c);
    if (campaign instanceof Response) return campaign;
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    const wanted = String(body.status ?? "");
    const direct: CampaignStatus[] = ["suspended", "archive", "draft", "queued", "sent"];
    if (direct.includes(wanted as CampaignStatus)) campaign.status = wanted as CampaignStatus;
    else if (wanted === "darchive") campaign.status = campaign.sentDate ? "sent" : "draft";
    else if (wanted === "cancel") campaign.status = "suspended";
    else if (wanted === "replicate" || wanted === "replicateTemplate") {
      account.seq.campaign += 1;
      const now = Date.now();
      const { sentDate: _sent, scheduledAt: _scheduled, ...copy } = structuredClone(campaign);
      account.campaigns.set(account.seq.campaign, {
        ...copy,
        id: account.seq.campaign,
        status: "draft",
        createdAt: now,
        modifiedAt: now,
        testsSent: [],
        sentTo: [],
      });
    } else return sendFailure(c, failure(400, "invalid_parameter", "Invalid campaign status"));
    campaign.modifiedAt = Date.now();
    return c.body(null, 204);
  });
}
