/** Audiences (lists) and templates: creation for seeding, and the shapes the API returns. */
import { z } from "zod";
import { DEFAULT_MERGE_FIELDS, makeMergeField } from "./merge-fields.js";
import { notFound, parseWith } from "./problems.js";
import { hexId, type MailchimpStore, mcTime } from "./store.js";
import type { MailchimpAccount, MailchimpList, MemberStatus, MergeFieldType, Template } from "./types.js";

export interface ListSeed {
  id?: string;
  name: string;
  doubleOptin?: boolean;
  mergeFields?: Array<{ tag: string; name: string; type: MergeFieldType; required?: boolean }>;
}

export function createList(store: MailchimpStore, account: MailchimpAccount, seed: ListSeed): MailchimpList {
  const list: MailchimpList = {
    id: seed.id ?? hexId(5),
    webId: store.nextId(),
    name: seed.name,
    doubleOptin: seed.doubleOptin ?? false,
    createdAt: Date.now(),
    mergeFields: [],
    members: new Map(),
    forgotten: new Set(),
    segments: new Map(),
    fromName: account.accountName,
    fromEmail: account.email,
  };
  for (const f of seed.mergeFields ?? DEFAULT_MERGE_FIELDS) makeMergeField(list, f);
  account.lists.set(list.id, list);
  return list;
}

export function countByStatus(list: MailchimpList): Record<MemberStatus, number> {
  const counts: Record<MemberStatus, number> = {
    subscribed: 0,
    unsubscribed: 0,
    cleaned: 0,
    pending: 0,
    transactional: 0,
    archived: 0,
  };
  for (const m of list.members.values()) counts[m.status] += 1;
  return counts;
}

export function listJson(account: MailchimpAccount, list: MailchimpList): Record<string, unknown> {
  const counts = countByStatus(list);
  const campaigns = [...account.campaigns.values()].filter((c) => c.recipients.list_id === list.id);
  return {
    id: list.id,
    web_id: list.webId,
    name: list.name,
    contact: {
      company: account.accountName,
      address1: "",
      address2: "",
      city: "",
      state: "",
      zip: "",
      country: "",
    },
    permission_reminder: "You are receiving this email because you shopped with us.",
    use_archive_bar: true,
    campaign_defaults: { from_name: list.fromName, from_email: list.fromEmail, subject: "", language: "en" },
    notify_on_subscribe: "",
    notify_on_unsubscribe: "",
    date_created: mcTime(list.createdAt),
    list_rating: 0,
    email_type_option: false,
    subscribe_url_short: `http://eepurl.com/sandbox-${list.id}`,
    subscribe_url_long: `https://sandbox.list-manage.com/subscribe?id=${list.id}`,
    beamer_address: `us1-sandbox-${list.id}@inbound.mailchimp.com`,
    visibility: "prv",
    double_optin: list.doubleOptin,
    has_welcome: false,
    marketing_permissions: false,
    modules: [],
    stats: {
      member_count: counts.subscribed,
      unsubscribe_count: counts.unsubscribed,
      cleaned_count: counts.cleaned,
      member_count_since_send: counts.subscribed,
      unsubscribe_count_since_send: 0,
      cleaned_count_since_send: 0,
      campaign_count: campaigns.length,
      merge_field_count: list.mergeFields.length,
      avg_sub_rate: 0,
      avg_unsub_rate: 0,
      target_sub_rate: 0,
      open_rate: 0,
      click_rate: 0,
      total_contacts: list.members.size - counts.archived,
    },
    _links: [],
  };
}

const templateSchema = z.looseObject({
  name: z.string().min(1),
  html: z.string(),
  folder_id: z.string().optional(),
});

export function createTemplate(store: MailchimpStore, account: MailchimpAccount, body: unknown): Template {
  const input = parseWith(templateSchema, body);
  const now = Date.now();
  const template: Template = {
    id: store.nextId(),
    name: input.name,
    html: input.html,
    folderId: input.folder_id ?? "",
    createdAt: now,
    editedAt: now,
  };
  account.templates.set(template.id, template);
  return template;
}

export function templateOrThrow(account: MailchimpAccount, id: string): Template {
  const template = account.templates.get(Number(id));
  if (!template) throw notFound();
  return template;
}

export function templateJson(account: MailchimpAccount, t: Template): Record<string, unknown> {
  return {
    id: t.id,
    type: "user",
    name: t.name,
    drag_and_drop: false,
    responsive: true,
    category: "",
    date_created: mcTime(t.createdAt),
    date_edited: mcTime(t.editedAt),
    created_by: account.accountName,
    edited_by: account.accountName,
    active: true,
    folder_id: t.folderId,
    thumbnail: "",
    share_url: "",
    content_type: "html",
    _links: [],
  };
}
