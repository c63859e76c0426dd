/** Routes for the API root, campaigns and templates. */
import type { Context, Hono } from "hono";
import type { McEnv } from "./auth.js";
import {
  cancelSend,
  scheduleCampaign,
  sendCampaign,
  sendChecklist,
  sendTest,
  settleSchedule,
  unscheduleCampaign,
} from "./campaign-actions.js";
import {
  campaignJson,
  campaignOrThrow,
  contentJson,
  createCampaign,
  deleteCampaign,
  replicateCampaign,
  setContent,
  updateCampaign,
} from "./campaigns.js";
import { countByStatus, createTemplate, templateJson, templateOrThrow } from "./lists.js";
import { readJson, respond } from "./problems.js";
import { type MailchimpStore, mcTime, parseCountOffset } from "./store.js";

type C = Context<McEnv>;

const campaign = (c: C) => campaignOrThrow(c.get("account"), c.req.param("campaignId") ?? "");
const noContent = (c: C) => c.body(null, 204);

function rootJson(c: C): Record<string, unknown> {
  const account = c.get("account");
  let subscribers = 0;
  for (const l of account.lists.values()) subscribers += countByStatus(l).subscribed;
  return {
    account_id: account.accountId,
    login_id: account.accountId.slice(0, 8),
    account_name: account.accountName,
    email: account.email,
    first_name: "",
    last_name: "",
    username: account.label,
    avatar_url: "",
    role: "owner",
    member_since: mcTime(account.createdAt),
    pricing_plan_type: account.canSchedule ? "monthly" : "forever_free",
    account_timezone: "UTC",
    account_industry: "Food & Beverage",
    contact: {
      company: account.accountName,
      addr1: "",
      addr2: "",
      city: "",
      state: "",
      zip: "",
      country: "",
    },
    pro_enabled: false,
    total_subscribers: subscribers,
    _links: [],
  };
}

export function mountCampaignRoutes(api: Hono<McEnv>, store: MailchimpStore): void {
  api.get("/", (c) => respond(c, rootJson(c)));
  api.get("/ping", (c) => respond(c, { health_status: "Everything's Chimpy!" }));

  api.get("/campaigns", (c) => {
    const account = c.get("account");
    const { count, offset } = parseCountOffset((n) => c.req.query(n));
    const [status, type, listId] = [c.req.query("status"), c.req.query("type"), c.req.query("list_id")];
    const all = [...account.campaigns.values()].filter((x) => {
      settleSchedule(account, x);
      return (
        (!status || x.status === status) &&
        (!type || x.type === type) &&
        (!listId || x.recipients.list_id === listId)
      );
    });
    return respond(c, {
      campaigns: all.slice(offset, offset + count).map((x) => campaignJson(account, x)),
      total_items: all.length,
      _links: [],
    });
  });
  api.post("/campaigns", async (c) => {
    const account = c.get("account");
    return respond(c, campaignJson(account, createCampaign(store, account, await readJson(c))));
  });
  api.get("/campaigns/:campaignId", (c) => respond(c, campaignJson(c.get("account"), campaign(c))));
  api.patch("/campaigns/:campaignId", async (c) => {
    const found = campaign(c);
    updateCampaign(c.get("account"), found, await readJson(c));
    return respond(c, campaignJson(c.get("account"), found));
  });
  api.delete("/campaigns/:campaignId", (c) => {
    deleteCampaign(c.get("account"), campaign(c));
    return noContent(c);
  });
  api.get("/campaigns/:campaignId/content", (c) => respond(c, contentJson(campaign(c))));
  api.put("/campaigns/:campaignId/content", async (c) => {
    const found = campaign(c);
    setContent(c.get("account"), found, await readJson(c));
    return respond(c, contentJson(found));
  });
  api.get("/campaigns/:campaignId/send-checklist", (c) =>
    respond(c, { ...sendChecklist(c.get("account"), campaign(c)), _links: [] }),
  );
  api.post("/campaigns/:campaignId/actions/send", (c) => {
    sendCampaign(c.get("account"), campaign(c));
    return noContent(c);
  });
  api.post("/campaigns/:campaignId/actions/schedule", async (c) => {
    const found = campaign(c);
    scheduleCampaign(c.get("account"), found, await readJson(c));
    return noContent(c);
  });
  api.post("/campaigns/:campaignId/actions/unschedule", (c) => {
    unscheduleCampaign(campaign(c));
    return noContent(c);
  });
  api.post("/campaigns/:campaignId/actions/cancel-send", (c) => {
    cancelSend(campaign(c));
    return noContent(c);
  });
  api.post("/campaigns/:campaignId/actions/test", async (c) => {
    const found = campaign(c);
    sendTest(found, await readJson(c));
    return noContent(c);
  });
  api.post("/campaigns/:campaignId/actions/replicate", (c) => {
    const account = c.get("account");
    return respond(c, campaignJson(account, replicateCampaign(store, account, campaign(c))));
  });

  api.get("/templates", (c) => {
    const account = c.get("account");
    const { count, offset } = parseCountOffset((n) => c.req.query(n));
    const all = [...account.templates.values()];
    return respond(c, {
      templates: all.slice(offset, offset + count).map((t) => templateJson(account, t)),
      total_items: all.length,
      _links: [],
    });
  });
  api.post("/templates", async (c) => {
    const account = c.get("account");
    return respond(c, templateJson(account, createTemplate(store, account, await readJson(c))));
  });
  api.get("/templates/:templateId", (c) => {
    const account = c.get("account");
    return respond(c, templateJson(account, templateOrThrow(account, c.req.param("templateId"))));
  });
  api.delete("/templates/:templateId", (c) => {
    const account = c.get("account");
    account.templates.delete(templateOrThrow(account, c.req.param("templateId")).id);
    return noContent(c);
  });
}
