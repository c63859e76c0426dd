/** Campaign records: create, edit, content, replicate, and their JSON shapes. */
import { z } from "zod";
import { campaignRecipients, settleSchedule } from "./campaign-actions.js";
import { badRequest, invalidResource, notFound, parseWith, SCHEMA_DETAIL } from "./problems.js";
import { hexId, type MailchimpStore, mcTime, mcTimeOpt } from "./store.js";
import type { Campaign, CampaignContent, MailchimpAccount, Template } from "./types.js";

const segmentOptsSchema = z.looseObject({
  saved_segment_id: z.number().int().optional(),
  match: z.enum(["any", "all"]).optional(),
  conditions: z.array(z.record(z.string(), z.unknown())).optional(),
});
const recipientsSchema = z.looseObject({ list_id: z.string(), segment_opts: segmentOptsSchema.optional() });
const settingsSchema = z.looseObject({
  subject_line: z.string().optional(),
  preview_text: z.string().optional(),
  title: z.string().optional(),
  from_name: z.string().optional(),
  reply_to: z.string().optional(),
  to_name: z.string().optional(),
  auto_footer: z.boolean().optional(),
  template_id: z.number().int().optional(),
});
const createSchema = z.looseObject({
  type: z.enum(["regular", "plaintext", "absplit", "rss", "variate"]),
  recipients: recipientsSchema.optional(),
  settings: settingsSchema.optional(),
});
const updateSchema = z.looseObject({
  recipients: recipientsSchema.optional(),
  settings: settingsSchema.optional(),
});

const DEFAULT_SETTINGS = {
  subject_line: "",
  preview_text: "",
  title: "",
  from_name: "",
  reply_to: "",
  use_conversation: false,
  to_name: "",
  folder_id: "",
  authenticate: true,
  auto_footer: false,
  inline_css: false,
  auto_tweet: false,
  fb_comments: true,
  timewarp: false,
  template_id: 0,
  drag_and_drop: false,
};

export function campaignOrThrow(account: MailchimpAccount, id: string): Campaign {
  const campaign = account.campaigns.get(id);
  if (!campaign) throw notFound();
  settleSchedule(account, campaign);
  return campaign;
}

function checkRecipients(account: MailchimpAccount, recipients: { list_id: string } | undefined): void {
  if (recipients && !account.lists.has(recipients.list_id)) {
    throw invalidResource(SCHEMA_DETAIL, [{ field: "recipients.list_id", message: "Invalid list ID" }]);
  }
}

function templateOrThrow(account: MailchimpAccount, id: number, field: string): Template {
  const template = account.templates.get(id);
  if (!template)
    throw invalidResource(SCHEMA_DETAIL, [{ field, message: "The template_id provided does not exist." }]);
  return template;
}

export function createCampaign(store: MailchimpStore, account: MailchimpAccount, body: unknown): Campaign {
  const input = parseWith(createSchema, body);
  checkRecipients(account, input.recipients);
  const settings = { ...input.settings };
  const template = settings.template_id
    ? templateOrThrow(account, settings.template_id, "settings.template_id")
    : undefined;
  const campaign: Campaign = {
    id: hexId(5),
    webId: store.nextId(),
    type: input.type,
    status: "save",
    createdAt: Date.now(),
    recipients: input.recipients ?? { list_id: "" },
    settings,
    emailsSent: 0,
    sentTo: [],
    testSends: [],
  };
  if (template)
    campaign.content = {
      html: template.html,
      plainText: htmlToText(template.html),
      template: { id: template.id },
    };
  account.campaigns.set(campaign.id, campaign);
  return campaign;
}

function assertEditable(campaign: Campaign): void {
  if (campaign.status !== "save" && campaign.status !== "paused") {
    throw badRequest(`This campaign cannot be edited while its status is "${campaign.status}".`);
  }
}

export function updateCampaign(account: MailchimpAccount, campaign: Campaign, body: unknown): void {
  const input = parseWith(updateSchema, body);
  assertEditable(campaign);
  checkRecipients(account, input.recipients);
  if (input.settings?.template_id)
    templateOrThrow(account, input.settings.template_id, "settings.template_id");
  if (input.recipients) campaign.recipients = input.recipients;
  if (input.settings) Object.assign(campaign.settings, input.settings);
}

export function deleteCampaign(account: MailchimpAccount, campaign: Campaign): void {
  if (campaign.status === "schedule" || campaign.status === "sending") {
    throw badRequest("Unschedule or cancel this campaign before deleting it.");
  }
  account.campaigns.delete(campaign.id);
}

const contentSchema = z.looseObject({
  html: z.string().optional(),
  plain_text: z.string().optional(),
  url: z.string().optional(),
  // A string id is the classic mistake that ends in "Your Campaign is not ready to send".
  template: z
    .looseObject({ id: z.number().int(), sections: z.record(z.string(), z.string()).optional() })
    .optional(),
});

/** Replaces the inner HTML of elements marked `mc:edit="name"` (no nesting, like simple custom templates). */
function applySections(html: string, sections: Record<string, string>): string {
  let out = html;
  for (const [name, value] of Object.entries(sections)) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = new RegExp(
      `(<([a-zA-Z0-9]+)\\b[^>]*\\bmc:edit=["']${escaped}["'][^>]*>)[\\s\\S]*?(</\\2>)`,
      "g",
    );
    out = out.replace(pattern, (_m, open: string, _tag: string, close: string) => `${open}${value}${close}`);
  }
  return out;
}

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/(p|div|h\d|li|tr)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export function setContent(account: MailchimpAccount, campaign: Campaign, body: unknown): void {
  const input = parseWith(contentSchema, body);
  assertEditable(campaign);
  let content: CampaignContent;
  if (input.template) {
    const template = templateOrThrow(account, input.template.id, "template.id");
    const html = applySections(template.html, input.template.sections ?? {});
    content = { html, plainText: input.plain_text ?? htmlToText(html), template: input.template };
  } else if (input.html !== undefined) {
    content = { html: input.html, plainText: input.plain_text ?? htmlToText(input.html) };
  } else if (input.plain_text !== undefined) {
    content = { html: campaign.content?.html ?? "", plainText: input.plain_text };
  } else if (input.url !== undefined) {
    throw badRequest("The sandbox cannot import content from a URL; send html or a template.");
  } else {
    throw invalidResource(SCHEMA_DETAIL, [
      { field: "html", message: "Provide html, plain_text or template." },
    ]);
  }
  campaign.content = content;
}

export function contentJson(campaign: Campaign): Record<string, unknown> {
  return {
    plain_text: campaign.content?.plainText ?? "",
    html: campaign.content?.html ?? "",
    archive_html: campaign.content?.html ?? "",
    _links: [],
  };
}

export function replicateCampaign(
  store: MailchimpStore,
  account: MailchimpAccount,
  source: Campaign,
): Campaign {
  const copy: Campaign = {
    id: hexId(5),
    webId: store.nextId(),
    type: source.type,
    status: "save",
    createdAt: Date.now(),
    recipients: structuredClone(source.recipients),
    settings: {
      ...structuredClone(source.settings),
      title: `${String(source.settings.title ?? "")} (copy 01)`.trim(),
    },
    ...(source.content ? { content: structuredClone(source.content) } : {}),
    emailsSent: 0,
    sentTo: [],
    testSends: [],
  };
  account.campaigns.set(copy.id, copy);
  return copy;
}

export function campaignJson(account: MailchimpAccount, c: Campaign): Record<string, unknown> {
  const list = account.lists.get(c.recipients.list_id);
  const recipientCount = c.status === "sent" ? c.emailsSent : campaignRecipients(account, c).length;
  return {
    id: c.id,
    web_id: c.webId,
    type: c.type,
    create_time: mcTime(c.createdAt),
    archive_url: `http://eepurl.com/sandbox-${c.id}`,
    long_archive_url: `https://us1.campaign-archive.com/?u=sandbox&id=${c.id}`,
    status: c.status,
    emails_sent: c.emailsSent,
    send_time: mcTimeOpt(c.sendTime ?? c.scheduleTime),
    content_type: c.content?.template ? "template" : "html",
    needs_block_refresh: false,
    resendable: false,
    recipients: {
      list_id: c.recipients.list_id,
      list_is_active: Boolean(list),
      list_name: list?.name ?? "",
      segment_text: "",
      recipient_count: recipientCount,
      ...(c.recipients.segment_opts ? { segment_opts: c.recipients.segment_opts } : {}),
    },
    settings: { ...DEFAULT_SETTINGS, ...c.settings },
    tracking: { opens: true, html_clicks: true, text_clicks: false, goal_tracking: false, ecomm360: false },
    delivery_status: { enabled: false },
    _links: [],
  };
}
