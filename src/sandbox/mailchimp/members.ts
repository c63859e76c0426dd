/**
 * Member writes with Mailchimp's consent rules: unsubscribed and cleaned contacts cannot be
 * subscribed again, erased contacts never come back, and POST never overwrites an existing member.
 */
import {
  assertStatusChange,
  fakeEmail,
  forgottenEmail,
  looksFake,
  type MemberWrite,
  memberExists,
  patchSchema,
  postSchema,
  putSchema,
} from "./member-rules.js";
import { validateMergeFields } from "./merge-fields.js";
import { invalidResource, notFound, parseWith, SCHEMA_DETAIL } from "./problems.js";
import { activeMember, type MailchimpStore, memberKey, subscriberHash } from "./store.js";
import { applyTags, moveTagMemberships } from "./tags.js";
import type { MailchimpList, Member, MemberStatus, WritableStatus } from "./types.js";

function parseTimestamp(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function applyOptional(member: Member, write: MemberWrite): void {
  if (write.email_type) member.emailType = write.email_type;
  if (write.language !== undefined) member.language = write.language;
  if (write.vip !== undefined) member.vip = write.vip;
  if (write.interests) Object.assign(member.interests, write.interests);
  if (write.ip_signup !== undefined) member.ipSignup = write.ip_signup;
  if (write.ip_opt !== undefined) member.ipOpt = write.ip_opt;
  member.timestampSignup = parseTimestamp(write.timestamp_signup) ?? member.timestampSignup;
  member.timestampOpt = parseTimestamp(write.timestamp_opt) ?? member.timestampOpt;
}

function newMemberRecord(store: MailchimpStore, email: string, status: MemberStatus, hash: string): Member {
  const now = Date.now();
  return {
    id: hash,
    email,
    status,
    mergeFields: {},
    tags: new Map(),
    // Derived from the hash rather than random: seeding 100,000 members must stay cheap.
    uniqueEmailId: hash.slice(0, 10),
    contactId: `${hash.slice(16)}${hash.slice(0, 16)}`,
    webId: store.nextId(),
    emailType: "html",
    language: "",
    vip: false,
    interests: {},
    ipSignup: "",
    ipOpt: "",
    createdAt: now,
    lastChanged: now,
    source: "API - Generic",
  };
}

/** Creates a member, or re-adds an archived one (`previous`), after every check passes. */
export function addMember(
  store: MailchimpStore,
  list: MailchimpList,
  write: MemberWrite & { status: WritableStatus },
  skipMergeValidation: boolean,
  previous?: Member,
): Member {
  const email = write.email_address.trim();
  const hash = subscriberHash(email);
  if (list.forgotten.has(hash)) throw forgottenEmail(email);
  if (!previous && looksFake(email)) {
    throw fakeEmail(email);
  }
  const values = validateMergeFields(
    list,
    write.merge_fields,
    previous ? "update" : "create",
    skipMergeValidation,
  );
  const member = previous ?? newMemberRecord(store, email, write.status, hash);
  member.status = write.status;
  Object.assign(member.mergeFields, values);
  if (write.status === "subscribed") member.timestampOpt = Date.now();
  applyOptional(member, write);
  member.lastChanged = Date.now();
  list.members.set(member.id, member);
  return member;
}

/** Updates an existing member; `status`, when sent, changes it (subject to compliance). */
export function changeMember(
  list: MailchimpList,
  member: Member,
  write: Partial<MemberWrite>,
  skip: boolean,
): void {
  const next = write.status;
  if (next && next !== member.status && member.status !== "archived") assertStatusChange(member, next);
  const values = validateMergeFields(list, write.merge_fields, "update", skip);
  Object.assign(member.mergeFields, values);
  if (next && next !== member.status) {
    member.status = next;
    if (next === "subscribed") member.timestampOpt = Date.now();
  }
  applyOptional(member, { ...write, email_address: member.email });
  member.lastChanged = Date.now();
}

/** Moves a member to a new address (PUT/PATCH with a different email_address). */
function changeEmail(list: MailchimpList, member: Member, email: string): void {
  const hash = subscriberHash(email);
  if (activeMember(list, hash)) throw memberExists(email);
  if (list.forgotten.has(hash)) throw forgottenEmail(email);
  if (looksFake(email)) throw fakeEmail(email);
  list.members.delete(member.id);
  list.members.delete(hash);
  moveTagMemberships(list, member.id, hash);
  member.id = hash;
  member.email = email.trim();
  list.members.set(hash, member);
}

/** PUT /lists/{id}/members/{hash}: `status_if_new` applies to new members only. */
export function putMember(
  store: MailchimpStore,
  list: MailchimpList,
  pathKey: string,
  body: unknown,
  skip: boolean,
): Member {
  const input = parseWith(putSchema, body);
  const hash = memberKey(pathKey);
  const bodyHash = subscriberHash(input.email_address);
  let member = list.members.get(hash);
  if (bodyHash !== hash) {
    // Renaming onto an address that is already a member would merge two contacts.
    if (activeMember(list, bodyHash)) throw memberExists(input.email_address.trim());
    if (member && member.status !== "archived") changeEmail(list, member, input.email_address);
    else member = list.members.get(bodyHash);
  }
  if (member && member.status !== "archived") {
    changeMember(list, member, input, skip);
    return member;
  }
  if (list.forgotten.has(bodyHash)) throw forgottenEmail(input.email_address.trim());
  const status = input.status ?? input.status_if_new;
  if (!status) {
    throw invalidResource(SCHEMA_DETAIL, [
      { field: "status_if_new", message: "This value should not be blank." },
    ]);
  }
  return addMember(store, list, { ...input, status }, skip, member);
}

/** POST /lists/{id}/members: creates only; an existing member is "Member Exists". */
export function postMember(store: MailchimpStore, list: MailchimpList, body: unknown, skip: boolean): Member {
  const input = parseWith(postSchema, body);
  const existing = list.members.get(subscriberHash(input.email_address));
  if (existing && existing.status !== "archived") throw memberExists(input.email_address.trim());
  const member = addMember(store, list, input, skip, existing);
  if (input.tags)
    applyTags(
      store,
      list,
      member,
      input.tags.map((name) => ({ name, status: "active" as const })),
    );
  return member;
}

export function patchMember(list: MailchimpList, pathKey: string, body: unknown, skip: boolean): Member {
  const input = parseWith(patchSchema, body);
  const member = list.members.get(memberKey(pathKey));
  if (!member) throw notFound();
  if (input.email_address && subscriberHash(input.email_address) !== member.id) {
    changeEmail(list, member, input.email_address);
  }
  changeMember(list, member, input, skip);
  return member;
}

/** DELETE /lists/{id}/members/{hash} archives; the contact can be added again later. */
export function archiveMember(list: MailchimpList, pathKey: string): void {
  const member = activeMember(list, memberKey(pathKey));
  if (!member) throw notFound();
  member.status = "archived";
  member.lastChanged = Date.now();
}

/** delete-permanent: erases the member and blocks the address forever. */
export function forgetMember(list: MailchimpList, pathKey: string): void {
  const hash = memberKey(pathKey);
  if (!list.members.has(hash)) throw notFound();
  moveTagMemberships(list, hash, undefined);
  list.members.delete(hash);
  list.forgotten.add(hash);
}

/** Test seeding: bypasses the API's checks, accepts any status including "archived". */
export function seedMember(
  store: MailchimpStore,
  list: MailchimpList,
  seed: { email: string; status: MemberStatus; mergeFields?: Record<string, unknown>; tags?: string[] },
): Member {
  const email = seed.email.trim();
  const hash = subscriberHash(email);
  const member = list.members.get(hash) ?? newMemberRecord(store, email, seed.status, hash);
  list.forgotten.delete(member.id);
  member.status = seed.status;
  Object.assign(member.mergeFields, seed.mergeFields ?? {});
  if (seed.status === "subscribed") member.timestampOpt = member.createdAt;
  list.members.set(member.id, member);
  if (seed.tags)
    applyTags(
      store,
      list,
      member,
      seed.tags.map((name) => ({ name, status: "active" as const })),
    );
  return member;
}
