/** /__sandbox inspection and knobs specific to the Brevo simulator (never part of the real API). */
import type { Hono } from "hono";
import type { RateLimits } from "./http.js";
import { reportRows } from "./import.js";
import { contactJson } from "./lookup.js";
import type { BrevoAccount, BrevoCampaign } from "./types.js";
import { iso } from "./values.js";

export interface CommitFault {
  method?: string;
  /** Matched against the path after /v3, like the shared fault rules. */
  pathPrefix: string;
  status?: number;
  body?: unknown;
  remaining: number;
}

export interface InspectTarget {
  accounts(): BrevoAccount[];
  byLabel(label: string): BrevoAccount | undefined;
  blocklist(account: BrevoAccount, email: string): void;
  addCommitFault(rule: CommitFault): void;
  clearCommitFaults(): void;
  limits: RateLimits;
  resetRateLimits(): void;
  flushImports(): void;
}

const campaignSummary = (c: BrevoCampaign) => ({
  id: c.id,
  name: c.name,
  subject: c.subject,
  status: c.status,
  sender: c.sender,
  listIds: c.recipients.listIds,
  scheduledAt: c.scheduledAt,
  sentDate: c.sentDate,
  recipients: c.sentTo.length,
  testsSent: c.testsSent.length,
});

export function mountInspectRoutes(app: Hono, target: InspectTarget): void {
  app.get("/__sandbox/accounts", (c) =>
    c.json({
      accounts: target.accounts().map((a) => ({
        label: a.label,
        key: `…${a.keyTail}`,
        contacts: a.contacts.size,
        blocklisted: [...a.contacts.values()].filter((x) => x.emailBlacklisted).length,
        lists: [...a.lists.values()].map((l) => ({ id: l.id, name: l.name, members: l.members.size })),
        campaigns: [...a.campaigns.values()].map(campaignSummary),
        processes: a.processes.size,
        emailCredits: a.emailCredits,
        notificationsSent: a.notificationsSent,
        unblockedByApi: a.unblockedByApi,
        blacklistWrites: a.blacklistWrites.length,
        deletedContacts: a.deletedContacts,
      })),
    }),
  );

  app.get("/__sandbox/accounts/:label/contacts", (c) => {
    const account = target.byLabel(c.req.param("label"));
    if (!account) return c.json({ error: "unknown account label" }, 404);
    const email = c.req.query("email")?.toLowerCase();
    const all = email
      ? [account.contacts.get(email)].flatMap((x) => x ?? [])
      : [...account.contacts.values()];
    const offset = Number(c.req.query("offset") ?? 0);
    const limit = Number(c.req.query("limit") ?? 1000);
    const contacts = all.slice(offset, offset + limit).map((x) => ({
      ...contactJson(x),
      blacklistHistory: x.blacklistHistory.map((h) => ({ ...h, at: iso(h.at) })),
    }));
    return c.json({ contacts, count: all.length });
  });

  app.get("/__sandbox/accounts/:label/campaigns", (c) => {
    const account = target.byLabel(c.req.param("label"));
    if (!account) return c.json({ error: "unknown account label" }, 404);
    const campaigns = [...account.campaigns.values()].map((x) => ({
      ...campaignSummary(x),
      htmlContent: x.htmlContent,
      templateId: x.templateId,
      params: x.params,
      sentTo: x.sentTo,
      tests: x.testsSent.map((t) => ({ emailTo: t.emailTo, at: iso(t.at) })),
    }));
    return c.json({ campaigns });
  });

  app.get("/__sandbox/accounts/:label/processes/:id/:file", (c) => {
    const account = target.byLabel(c.req.param("label"));
    const process = account?.processes.get(Number(c.req.param("id")));
    const rows = process && reportRows(process, c.req.param("file").replace(/\.csv$/, ""));
    if (!rows) return c.json({ error: "unknown report" }, 404);
    return c.body(rows.join("\n"), 200, { "content-type": "text/csv" });
  });

  app.post("/__sandbox/accounts/:label/blocklist", async (c) => {
    const account = target.byLabel(c.req.param("label"));
    const body = (await c.req.json().catch(() => ({}))) as { email?: unknown };
    if (!account || typeof body.email !== "string") return c.json({ error: "label and email required" }, 400);
    target.blocklist(account, body.email);
    return c.body(null, 204);
  });

  app.post("/__sandbox/commit-faults", async (c) => {
    const rule = (await c.req.json()) as CommitFault;
    if (typeof rule.pathPrefix !== "string" || typeof rule.remaining !== "number") {
      return c.json({ error: "pathPrefix (string) and remaining (number) are required" }, 400);
    }
    target.addCommitFault(rule);
    return c.body(null, 204);
  });
  app.delete("/__sandbox/commit-faults", (c) => {
    target.clearCommitFaults();
    return c.body(null, 204);
  });

  app.post("/__sandbox/rate-limits", async (c) => {
    const body = (await c.req.json()) as Partial<RateLimits>;
    for (const key of Object.keys(target.limits) as Array<keyof RateLimits>) {
      if (typeof body[key] === "number") target.limits[key] = body[key];
    }
    return c.json(target.limits);
  });
  app.delete("/__sandbox/rate-limits", (c) => {
    target.resetRateLimits();
    return c.body(null, 204);
  });

  app.post("/__sandbox/imports/flush", (c) => {
    target.flushImports();
    return c.body(null, 204);
  });
}
