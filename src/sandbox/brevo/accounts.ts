/** Account creation and the seeding helpers tests use to put an account in a known state. */
import { createHash } from "node:crypto";
import { addToList, createContact, createList } from "./store.js";
import type { BrevoAccount, BrevoAccountInput, BrevoContact, BrevoTemplate } from "./types.js";
import { DEFAULT_ATTRIBUTES, normaliseEmail, normalisePhone } from "./values.js";

const KEY_FORMAT = /^xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16}$/;

/** A well-formed, deterministic Brevo v3 key for tests ("xkeysib-<64 hex>-<16 alnum>"). */
export function brevoTestKey(seed: string | number): string {
  const hash = createHash("sha256").update(`brevo-sandbox:${seed}`).digest();
  const tail = createHash("sha256")
    .update(hash)
    .digest("base64")
    .replace(/[^A-Za-z0-9]/g, "");
  return `xkeysib-${hash.toString("hex")}-${tail.slice(0, 16)}`;
}

export function newAccount(input: BrevoAccountInput, ordinal: number): BrevoAccount {
  if (!KEY_FORMAT.test(input.apiKey)) {
    throw new Error("Brevo sandbox: apiKey must look like xkeysib-<64 hex>-<16 alnum> (see brevoTestKey)");
  }
  const label = input.label ?? `account-${ordinal}`;
  const email = input.email ?? `owner@${label.replace(/[^a-z0-9-]/gi, "-").toLowerCase()}.example.org`;
  const companyName = input.companyName ?? `Company ${label}`;
  // A new Brevo account can send from its login address; tests replace that with their own senders.
  const senders = (input.senders ?? [{ name: companyName, email }]).map((s, i) => ({
    id: i + 1,
    name: s.name,
    email: s.email,
    active: s.active ?? true,
  }));
  const attributes = input.attributes
    ? input.attributes.map((a) => ({
        name: a.name.toUpperCase(),
        category: a.category ?? "normal",
        type: a.type ?? "text",
      }))
    : DEFAULT_ATTRIBUTES.map((a) => ({ ...a }));
  return {
    label,
    keyTail: input.apiKey.slice(-4),
    email,
    firstName: "Sandbox",
    lastName: "Owner",
    companyName,
    planType: input.planType ?? "free",
    underValidation: input.underValidation ?? false,
    emailCredits: input.emailCredits ?? 300,
    allowTags: input.allowTags ?? false,
    senders,
    attributes: new Map(attributes.map((a) => [a.name, a])),
    folders: new Map([[1, { id: 1, name: "Your First Folder", createdAt: Date.now() }]]),
    lists: new Map(),
    contacts: new Map(),
    contactsById: new Map(),
    contactsBySms: new Map(),
    contactsByExtId: new Map(),
    campaigns: new Map(),
    templates: new Map(),
    processes: new Map(),
    unblockedByApi: [],
    blacklistWrites: [],
    deletedContacts: [],
    notificationsSent: 0,
    testEmails: { day: "", count: 0 },
    seq: { contact: 0, list: 0, folder: 1, campaign: 0, template: 0, process: 0 },
  };
}

export interface SeedContact {
  email: string;
  attributes?: Record<string, unknown>;
  listIds?: number[];
  emailBlacklisted?: boolean;
}

/**
 * Puts a contact in the account as if it had always been there: no API rules, no blocklist
 * history (only API writes are recorded). Lists named in listIds are created when missing.
 */
export function seedContact(account: BrevoAccount, input: SeedContact): BrevoContact {
  const email = normaliseEmail(input.email);
  if (!email) throw new Error(`Brevo sandbox: invalid email ${input.email}`);
  const contact = account.contacts.get(email) ?? createContact(account, email);
  for (const [name, value] of Object.entries(input.attributes ?? {})) {
    const upper = name.toUpperCase();
    if (upper === "SMS") {
      const sms = normalisePhone(value);
      if (!sms) throw new Error(`Brevo sandbox: invalid SMS ${String(value)}`);
      contact.attributes.SMS = sms;
      account.contactsBySms.set(sms, contact);
    } else {
      contact.attributes[upper] = value;
      if (upper === "EXT_ID") account.contactsByExtId.set(String(value), contact);
    }
  }
  for (const id of input.listIds ?? []) {
    if (!account.lists.has(id)) createList(account, { id, name: `List ${id}` });
    addToList(account, contact, id);
  }
  if (input.emailBlacklisted !== undefined) contact.emailBlacklisted = input.emailBlacklisted;
  return contact;
}

export function seedTemplate(
  account: BrevoAccount,
  input: Partial<Omit<BrevoTemplate, "createdAt">> & { name: string; htmlContent: string },
): BrevoTemplate {
  const id = input.id ?? account.seq.template + 1;
  account.seq.template = Math.max(account.seq.template, id);
  const sender = account.senders[0];
  const template: BrevoTemplate = {
    id,
    name: input.name,
    subject: input.subject ?? input.name,
    htmlContent: input.htmlContent,
    isActive: input.isActive ?? true,
    sender: input.sender ?? {
      name: sender?.name ?? account.companyName,
      email: sender?.email ?? account.email,
    },
    tag: input.tag ?? "",
    createdAt: Date.now(),
  };
  account.templates.set(id, template);
  return template;
}
