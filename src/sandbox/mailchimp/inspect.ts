/** Sandbox-only inspection routes under /__sandbox; keys are shown by their last four characters. */
import type { Hono } from "hono";
import { settleSchedule } from "./campaign-actions.js";
import { countByStatus } from "./lists.js";
import { memberMergeFields } from "./merge-fields.js";
import { type MailchimpStore, mcTimeOpt } from "./store.js";
import type { Campaign, MailchimpAccount, MailchimpList, Member } from "./types.js";

const maskKey = (apiKey: string): string => `…${apiKey.slice(-4)}`;

function campaignSummary(c: Campaign): Record<string, unknown> {
  return {
    id: c.id,
    type: c.type,
    status: c.status,
    title: c.settings.title ?? "",
    list_id: c.recipients.list_id,
    emails_sent: c.emailsSent,
    send_time: mcTimeOpt(c.sendTime),
    schedule_time: mcTimeOpt(c.scheduleTime),
  };
}

function campaignFull(c: Campaign): Record<string, unknown> {
  return {
    ...campaignSummary(c),
    recipients: c.recipients,
    settings: c.settings,
    content: c.content
      ? { html: c.content.html, plain_text: c.content.plainText, template: c.content.template }
      : null,
    sent_to: c.sentTo,
    test_sends: c.testSends.map((t) => ({ emails: t.emails, send_type: t.sendType, at: mcTimeOpt(t.at) })),
  };
}

function memberInspection(list: MailchimpList, m: Member): Record<string, unknown> {
  return {
    id: m.id,
    email_address: m.email,
    status: m.status,
    merge_fields: memberMergeFields(list, m.mergeFields),
    tags: [...m.tags.keys()].map((id) => list.segments.get(id)?.name ?? ""),
    created_at: mcTimeOpt(m.createdAt),
    last_changed: mcTimeOpt(m.lastChanged),
    timestamp_opt: mcTimeOpt(m.timestampOpt),
  };
}

function accountSummary(a: MailchimpAccount): Record<string, unknown> {
  return {
    label: a.label,
    key: maskKey(a.apiKey),
    dc: a.dc,
    account_name: a.accountName,
    peak_in_flight: a.peakInFlight,
    lists: [...a.lists.values()].map((l) => ({
      id: l.id,
      name: l.name,
      member_count: l.members.size,
      by_status: countByStatus(l),
      forgotten: l.forgotten.size,
      tags: [...l.segments.values()].filter((s) => s.type === "static").map((s) => s.name),
    })),
    campaigns: [...a.campaigns.values()].map(campaignSummary),
    templates: [...a.templates.values()].map((t) => ({ id: t.id, name: t.name })),
    batches: [...a.batches.values()].map((b) => ({ id: b.id, status: b.status, total: b.totalOperations })),
  };
}

export function mountInspectionRoutes(app: Hono, store: MailchimpStore): void {
  app.get("/__sandbox/accounts", (c) =>
    c.json({ accounts: [...store.accounts.values()].map(accountSummary) }),
  );
  app.get("/__sandbox/accounts/:label/lists/:listId/members", (c) => {
    const list = store.byLabel.get(c.req.param("label"))?.lists.get(c.req.param("listId"));
    if (!list) return c.json({ error: "unknown account label or list" }, 404);
    return c.json({ members: [...list.members.values()].map((m) => memberInspection(list, m)) });
  });
  app.get("/__sandbox/accounts/:label/campaigns", (c) => {
    const account = store.byLabel.get(c.req.param("label"));
    if (!account) return c.json({ error: "unknown account label" }, 404);
    const campaigns = [...account.campaigns.values()];
    for (const campaign of campaigns) settleSchedule(account, campaign);
    return c.json({ campaigns: campaigns.map(campaignFull) });
  });
  app.get("/__sandbox/batch-results/:file", (c) => {
    const file = c.req.param("file");
    const body = file.endsWith(".tar.gz")
      ? store.batchResults.get(file.slice(0, -".tar.gz".length))
      : undefined;
    if (!body) return c.json({ error: "no such batch result" }, 404);
    return c.body(new Uint8Array(body), 200, { "content-type": "application/x-gzip" });
  });
}
