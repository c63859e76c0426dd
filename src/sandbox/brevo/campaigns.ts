/** Email campaign rules: field validation, recipients, sending and the JSON Brevo returns. */
import type { Failure } from "./store.js";
import { failure } from "./store.js";
import type { BrevoAccount, BrevoCampaign } from "./types.js";
import { iso } from "./values.js";

const isIntArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x));

export function draftCampaign(account: BrevoAccount): BrevoCampaign {
  const now = Date.now();
  return {
    id: account.seq.campaign + 1,
    name: "",
    htmlContent: "",
    sender: { id: 0, name: "", email: "" },
    replyTo: "",
    recipients: { listIds: [], exclusionListIds: [], segmentIds: [] },
    status: "draft",
    createdAt: now,
    modifiedAt: now,
    testsSent: [],
    sentTo: [],
  };
}

/**
 * Validates and copies the fields of a create (`creating`) or update body onto `campaign`.
 * Returns the failure Brevo would answer; the campaign may then be half-updated, so callers
 * pass a copy when updating.
 */
export function applyCampaignFields(
  account: BrevoAccount,
  campaign: BrevoCampaign,
  body: Record<string, unknown>,
  creating: boolean,
): Failure | undefined {
  if (creating && (typeof body.name !== "string" || body.name === "")) {
    return failure(400, "missing_parameter", "name is missing");
  }
  if (typeof body.name === "string") campaign.name = body.name;
  if (creating && (typeof body.sender !== "object" || body.sender === null)) {
    return failure(400, "missing_parameter", "sender is missing");
  }
  if (typeof body.sender === "object" && body.sender !== null) {
    const wanted = body.sender as { id?: unknown; email?: unknown; name?: unknown };
    // brevo.md §2.9: "Passing both email and id will result in an error".
    if (wanted.id !== undefined && wanted.email !== undefined) {
      return failure(400, "invalid_parameter", "Only one of sender.email or sender.id may be passed");
    }
    const sender =
      wanted.id !== undefined
        ? account.senders.find((s) => s.id === Number(wanted.id))
        : account.senders.find((s) => s.email.toLowerCase() === String(wanted.email ?? "").toLowerCase());
    if (!sender?.active) return failure(400, "invalid_parameter", "Sender is invalid / inactive");
    const name = typeof wanted.name === "string" && wanted.name !== "" ? wanted.name : sender.name;
    campaign.sender = { id: sender.id, name, email: sender.email };
    if (!campaign.replyTo) campaign.replyTo = sender.email;
  }
  if (creating && body.abTesting !== true && (typeof body.subject !== "string" || body.subject === "")) {
    return failure(400, "missing_parameter", "subject is missing");
  }
  for (const key of ["subject", "previewText", "toField", "replyTo"] as const) {
    if (typeof body[key] === "string") campaign[key] = body[key];
  }
  const content = (["htmlContent", "htmlUrl", "templateId"] as const).filter((k) => body[k] !== undefined);
  if (creating && content.length === 0) {
    return failure(400, "missing_parameter", "htmlContent, htmlUrl or templateId is missing");
  }
  if (body.htmlContent !== undefined) {
    if (typeof body.htmlContent !== "string" || body.htmlContent.length <= 10) {
      return failure(400, "invalid_parameter", "htmlContent should be more than 10 characters");
    }
    campaign.htmlContent = body.htmlContent;
  } else if (typeof body.htmlUrl === "string") {
    campaign.htmlContent = `<html><!-- sandbox: content of ${body.htmlUrl} is not fetched --></html>`;
  } else if (body.templateId !== undefined) {
    const template = account.templates.get(Number(body.templateId));
    if (!template?.isActive) return failure(400, "invalid_parameter", "Template is invalid / inactive");
    campaign.templateId = template.id;
    campaign.htmlContent = template.htmlContent;
  }
  if (body.params !== undefined) campaign.params = body.params as Record<string, unknown>;
  if (body.recipients !== undefined) {
    const r = (body.recipients ?? {}) as Record<string, unknown>;
    const recipients = {
      listIds: [] as number[],
      exclusionListIds: [] as number[],
      segmentIds: [] as number[],
    };
    for (const key of ["listIds", "exclusionListIds", "segmentIds"] as const) {
      if (r[key] === undefined) continue;
      if (!isIntArray(r[key]))
        return failure(400, "invalid_parameter", `recipients.${key} should be integers`);
      recipients[key] = r[key];
    }
    const unknown = [...recipients.listIds, ...recipients.exclusionListIds].filter(
      (id) => !account.lists.has(id),
    );
    if (unknown.length > 0)
      return failure(400, "invalid_parameter", `Invalid list id(s): ${unknown.join(",")}`);
    campaign.recipients = recipients;
  }
  if (body.scheduledAt !== undefined && body.scheduledAt !== null && body.scheduledAt !== "") {
    const at = Date.parse(String(body.scheduledAt));
    if (Number.isNaN(at)) return failure(400, "invalid_parameter", "scheduledAt is not a valid date-time");
    if (at <= Date.now()) return failure(400, "invalid_parameter", "Scheduled date should be in the future");
    if (campaign.recipients.listIds.length === 0) {
      return failure(400, "missing_parameter", "recipients.listIds is mandatory when scheduledAt is set");
    }
    campaign.scheduledAt = iso(at);
    campaign.status = "queued";
  }
  if (body.tag !== undefined) {
    if (!account.allowTags) {
      return {
        status: 405,
        code: "method_not_allowed",
        message: "Tag feature is not available on your plan",
      };
    }
    campaign.tag = String(body.tag);
  }
  campaign.modifiedAt = Date.now();
  return undefined;
}

/** Non-blocklisted members of the lists, minus the exclusion lists, each address once. */
export function recipientsOf(account: BrevoAccount, campaign: BrevoCampaign): string[] {
  const excluded = new Set<number>();
  for (const id of campaign.recipients.exclusionListIds) {
    for (const member of account.lists.get(id)?.members ?? []) excluded.add(member);
  }
  const chosen = new Set<number>();
  for (const id of campaign.recipients.listIds) {
    for (const member of account.lists.get(id)?.members ?? []) if (!excluded.has(member)) chosen.add(member);
  }
  const emails: string[] = [];
  for (const id of chosen) {
    const contact = account.contactsById.get(id);
    if (contact && !contact.emailBlacklisted) emails.push(contact.email);
  }
  return emails;
}

/** The checks sendNow runs before dispatch (brevo.md §2.10, §3.3); sends when they pass. */
export function sendCampaign(
  account: BrevoAccount,
  campaign: BrevoCampaign,
  at = Date.now(),
): Failure | undefined {
  if (campaign.status === "sent") return failure(400, "campaign_sent", "Campaign is already sent");
  if (campaign.status === "in_process") return failure(400, "campaign_processing", "Campaign is being sent");
  if (account.underValidation) {
    return failure(400, "account_under_validation", "Your account is not validated yet");
  }
  if (campaign.recipients.listIds.length === 0) {
    return failure(400, "invalid_parameter", "Campaign could not be sent: it has no recipient list");
  }
  const recipients = recipientsOf(account, campaign);
  if (recipients.length === 0) {
    return failure(
      400,
      "invalid_parameter",
      "Campaign could not be sent: no contact of its lists can receive it",
    );
  }
  if (account.emailCredits < recipients.length) {
    return failure(
      402,
      "not_enough_credits",
      "You don't have enough credit to send your campaign. Please update your plan",
    );
  }
  account.emailCredits -= recipients.length;
  campaign.status = "sent";
  campaign.sentDate = iso(at);
  campaign.sentTo = recipients;
  campaign.modifiedAt = at;
  return undefined;
}

/** Scheduled campaigns go out lazily, when anything next looks at the account's campaigns. */
export function settleScheduled(account: BrevoAccount, now = Date.now()): void {
  for (const campaign of account.campaigns.values()) {
    if (campaign.status !== "queued" || !campaign.scheduledAt) continue;
    const at = Date.parse(campaign.scheduledAt);
    if (at > now) continue;
    if (sendCampaign(account, campaign, at)) campaign.status = "suspended";
  }
}

const zeroStats = () => ({
  uniqueClicks: 0,
  clickers: 0,
  complaints: 0,
  delivered: 0,
  sent: 0,
  softBounces: 0,
  hardBounces: 0,
  uniqueViews: 0,
  trackableViews: 0,
  unsubscriptions: 0,
  viewed: 0,
});

export function campaignJson(campaign: BrevoCampaign, withHtml = true): Record<string, unknown> {
  const sent = campaign.sentTo.length;
  const json: Record<string, unknown> = {
    id: campaign.id,
    name: campaign.name,
    subject: campaign.subject,
    previewText: campaign.previewText,
    type: "classic",
    status: campaign.status,
    scheduledAt: campaign.scheduledAt,
    testSent: campaign.testsSent.length > 0,
    header: "[DEFAULT_HEADER]",
    footer: "[DEFAULT_FOOTER]",
    sender: { ...campaign.sender },
    replyTo: campaign.replyTo,
    toField: campaign.toField,
    htmlContent: withHtml ? campaign.htmlContent : "",
    tag: campaign.tag,
    createdAt: iso(campaign.createdAt),
    modifiedAt: iso(campaign.modifiedAt),
    inlineImageActivation: false,
    mirrorActive: false,
    recurring: false,
    sentDate: campaign.sentDate,
    recipients: {
      lists: [...campaign.recipients.listIds],
      exclusionLists: [...campaign.recipients.exclusionListIds],
    },
    statistics: {
      globalStats: { ...zeroStats(), sent, delivered: sent },
      campaignStats: campaign.recipients.listIds.map((listId) => ({ listId, ...zeroStats() })),
      mirrorClick: 0,
      remaining: 0,
      linksStats: {},
      statsByDomain: {},
      statsByDevice: {},
      statsByBrowser: {},
    },
  };
  for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
  return json;
}
