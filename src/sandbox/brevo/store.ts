/** Contact writes shared by create, update, batch, import and the seeding helpers. */
import type { BrevoAccount, BrevoContact, BrevoList } from "./types.js";
import { CLEAR, coerceAttribute, DROP, normaliseEmail, normalisePhone } from "./values.js";

export interface Failure {
  status: 400 | 402 | 404 | 405 | 413 | 429;
  code: string;
  message: string;
  metadata?: Record<string, unknown>;
}

export const failure = (
  status: Failure["status"],
  code: string,
  message: string,
  metadata?: Record<string, unknown>,
): Failure => (metadata ? { status, code, message, metadata } : { status, code, message });

export const isFailure = (value: unknown): value is Failure =>
  typeof value === "object" && value !== null && "code" in value && "status" in value;

export interface ContactWrite {
  attributes?: Record<string, unknown>;
  listIds?: number[];
  unlinkListIds?: number[];
  emailBlacklisted?: boolean;
  smsBlacklisted?: boolean;
  extId?: string;
}

/** A write reduced to what Brevo keeps: known attributes, coerced; SMS/EMAIL/EXT_ID pulled out. */
export interface PreparedWrite {
  set: Map<string, unknown>;
  clear: Set<string>;
  sms?: string;
  newEmail?: string;
  extId?: string;
}

/**
 * Validates a write against the account without changing anything, so batch updates can fail
 * as a whole. `action` words the duplicate message ("create" or "update").
 */
export function prepareWrite(
  account: BrevoAccount,
  write: ContactWrite,
  target: BrevoContact | undefined,
  action: "create" | "update",
): PreparedWrite | Failure {
  const prepared: PreparedWrite = { set: new Map(), clear: new Set() };
  for (const [rawName, value] of Object.entries(write.attributes ?? {})) {
    const name = rawName.toUpperCase();
    if (name === "EMAIL" && action === "update") {
      const email = normaliseEmail(value);
      if (!email) return failure(400, "invalid_parameter", "Invalid email address");
      prepared.newEmail = email;
      continue;
    }
    const attribute = account.attributes.get(name);
    // Brevo pitfall 5: names the account does not define vanish without an error.
    if (!attribute) continue;
    if (name === "EXT_ID" && value !== "" && value !== null && value !== undefined) {
      prepared.extId = String(value);
      continue;
    }
    if (name === "SMS" && value !== "" && value !== null) {
      const sms = normalisePhone(value);
      if (!sms) return failure(400, "invalid_parameter", "Invalid phone number");
      prepared.sms = sms;
      continue;
    }
    const coerced = coerceAttribute(attribute, value);
    if (coerced === DROP) continue;
    if (coerced === CLEAR) prepared.clear.add(name);
    else prepared.set.set(name, coerced);
  }
  if (write.extId !== undefined) prepared.extId = String(write.extId);
  const duplicate = (identifier: string) =>
    failure(
      400,
      "duplicate_parameter",
      `Unable to ${action} contact, ${identifier} is already associated with another Contact`,
      { duplicate_identifiers: [identifier] },
    );
  if (prepared.sms !== undefined) {
    const owner = account.contactsBySms.get(prepared.sms);
    if (owner && owner !== target) return duplicate("SMS");
  }
  if (prepared.extId !== undefined) {
    const owner = account.contactsByExtId.get(prepared.extId);
    if (owner && owner !== target) return duplicate("ext_id");
  }
  if (prepared.newEmail !== undefined) {
    const owner = account.contacts.get(prepared.newEmail);
    if (owner && owner !== target) return duplicate("email");
  }
  const unknownLists = [...(write.listIds ?? []), ...(write.unlinkListIds ?? [])].filter(
    (id) => !account.lists.has(id),
  );
  if (unknownLists.length > 0) {
    return failure(400, "invalid_parameter", `Invalid list id(s): ${unknownLists.join(",")}`);
  }
  return prepared;
}

export function createContact(account: BrevoAccount, email: string, now = Date.now()): BrevoContact {
  account.seq.contact += 1;
  const contact: BrevoContact = {
    id: account.seq.contact,
    email,
    attributes: {},
    listIds: [],
    listUnsubscribed: [],
    emailBlacklisted: false,
    smsBlacklisted: false,
    createdAt: now,
    modifiedAt: now,
    blacklistHistory: [],
  };
  account.contacts.set(email, contact);
  account.contactsById.set(contact.id, contact);
  return contact;
}

/** Applies a prepared write; `endpoint` labels blocklist records ("POST /contacts"). */
export function applyWrite(
  account: BrevoAccount,
  contact: BrevoContact,
  write: ContactWrite,
  prepared: PreparedWrite,
  endpoint: string,
  now = Date.now(),
): void {
  for (const [name, value] of prepared.set) contact.attributes[name] = value;
  for (const name of prepared.clear) {
    const previous = contact.attributes[name];
    if (name === "SMS" && typeof previous === "string") account.contactsBySms.delete(previous);
    if (name === "EXT_ID" && typeof previous === "string") account.contactsByExtId.delete(previous);
    delete contact.attributes[name];
  }
  if (prepared.sms !== undefined) {
    const previous = contact.attributes.SMS;
    if (typeof previous === "string") account.contactsBySms.delete(previous);
    contact.attributes.SMS = prepared.sms;
    account.contactsBySms.set(prepared.sms, contact);
  }
  if (prepared.extId !== undefined) {
    const previous = contact.attributes.EXT_ID;
    if (typeof previous === "string") account.contactsByExtId.delete(previous);
    contact.attributes.EXT_ID = prepared.extId;
    account.contactsByExtId.set(prepared.extId, contact);
  }
  if (prepared.newEmail !== undefined && prepared.newEmail !== contact.email) {
    account.contacts.delete(contact.email);
    const oldEmail = contact.email;
    contact.email = prepared.newEmail;
    account.contacts.set(contact.email, contact);
    // SDK updateContact note: a blocklisted contact whose email changes is resubscribed.
    if (contact.emailBlacklisted) {
      contact.emailBlacklisted = false;
      account.unblockedByApi.push({ email: oldEmail, endpoint: `${endpoint} (EMAIL change)`, at: now });
    }
  }
  for (const id of write.listIds ?? []) addToList(account, contact, id);
  for (const id of write.unlinkListIds ?? []) removeFromList(account, contact, id);
  if (write.emailBlacklisted !== undefined)
    setBlacklisted(account, contact, write.emailBlacklisted, endpoint, now);
  if (write.smsBlacklisted !== undefined) contact.smsBlacklisted = write.smsBlacklisted;
  contact.modifiedAt = now;
}

/** The blocklist trap: `false` from any API write un-blocks; every such write is recorded. */
export function setBlacklisted(
  account: BrevoAccount,
  contact: BrevoContact,
  value: boolean,
  endpoint: string,
  now = Date.now(),
): void {
  contact.blacklistHistory.push({ value, endpoint, at: now });
  account.blacklistWrites.push({ email: contact.email, value, endpoint, at: now });
  if (!value && contact.emailBlacklisted)
    account.unblockedByApi.push({ email: contact.email, endpoint, at: now });
  contact.emailBlacklisted = value;
}

export function addToList(account: BrevoAccount, contact: BrevoContact, listId: number): boolean {
  const list = account.lists.get(listId);
  if (!list || list.members.has(contact.id)) return false;
  list.members.add(contact.id);
  contact.listIds.push(listId);
  return true;
}

export function removeFromList(account: BrevoAccount, contact: BrevoContact, listId: number): boolean {
  const list = account.lists.get(listId);
  if (!list?.members.delete(contact.id)) return false;
  contact.listIds = contact.listIds.filter((id) => id !== listId);
  return true;
}

export function deleteContact(account: BrevoAccount, contact: BrevoContact, now = Date.now()): void {
  for (const id of contact.listIds) account.lists.get(id)?.members.delete(contact.id);
  account.contacts.delete(contact.email);
  account.contactsById.delete(contact.id);
  if (typeof contact.attributes.SMS === "string") account.contactsBySms.delete(contact.attributes.SMS);
  if (typeof contact.attributes.EXT_ID === "string")
    account.contactsByExtId.delete(contact.attributes.EXT_ID);
  account.deletedContacts.push({ email: contact.email, wasBlacklisted: contact.emailBlacklisted, at: now });
}

export function createList(
  account: BrevoAccount,
  input: { id?: number; name: string; folderId?: number },
): BrevoList {
  const id = input.id ?? account.seq.list + 1;
  account.seq.list = Math.max(account.seq.list, id);
  const list: BrevoList = {
    id,
    name: input.name,
    folderId: input.folderId ?? 1,
    createdAt: Date.now(),
    members: new Set(),
  };
  account.lists.set(id, list);
  return list;
}
