/** Segments: saved (conditions) and static (tags), their members and bulk tagging. */
import { z } from "zod";
import { memberJson } from "./member-json.js";
import { badRequest, invalidResource, McProblem, notFound, parseWith, SCHEMA_DETAIL } from "./problems.js";
import { activeMember, type MailchimpStore, mcTime, subscriberHash } from "./store.js";
import { findTag, newSegment, tagMember, untagMember } from "./tags.js";
import type { MailchimpList, Member, Segment, SegmentOpts } from "./types.js";

/** Whether a member falls inside `opts` (static tags and saved segments; other conditions match all). */
export function segmentFilter(list: MailchimpList, opts: SegmentOpts | undefined): (m: Member) => boolean {
  if (!opts) return () => true;
  const checks: Array<(m: Member) => boolean> = [];
  if (opts.saved_segment_id !== undefined) {
    const segment = list.segments.get(Number(opts.saved_segment_id));
    if (!segment) return () => false;
    checks.push(
      segment.type === "static"
        ? (m) => segment.members.has(m.id)
        : segmentFilter(list, segment.options as SegmentOpts),
    );
  }
  const conditions = (opts.conditions ?? []).flatMap((c) => {
    if (c.condition_type !== "StaticSegment") return [];
    const segment = list.segments.get(Number(c.value));
    const inside = (m: Member) => segment?.members.has(m.id) ?? false;
    return [c.op === "static_not" ? (m: Member) => !inside(m) : inside];
  });
  if (conditions.length > 0) {
    checks.push(
      opts.match === "any" ? (m) => conditions.some((f) => f(m)) : (m) => conditions.every((f) => f(m)),
    );
  }
  return (m) => checks.every((f) => f(m));
}

export function segmentJson(list: MailchimpList, s: Segment): Record<string, unknown> {
  const inside = segmentFilter(list, { saved_segment_id: s.id });
  let memberCount = 0;
  for (const m of list.members.values()) if (m.status !== "archived" && inside(m)) memberCount += 1;
  return {
    id: s.id,
    name: s.name,
    member_count: memberCount,
    type: s.type,
    created_at: mcTime(s.createdAt),
    updated_at: mcTime(s.updatedAt),
    options: s.options ?? { match: "any", conditions: [] },
    list_id: list.id,
    _links: [],
  };
}

const createSchema = z.looseObject({
  name: z.string().min(1),
  static_segment: z.array(z.string()).optional(),
  options: z
    .looseObject({ match: z.enum(["any", "all"]).optional(), conditions: z.array(z.unknown()).optional() })
    .optional(),
});

/** POST /lists/{id}/segments: `static_segment` (even []) makes a tag; `options` a saved segment. */
export function createSegment(store: MailchimpStore, list: MailchimpList, body: unknown): Segment {
  const input = parseWith(createSchema, body);
  if (!input.static_segment && !input.options) {
    throw invalidResource(SCHEMA_DETAIL, [
      { field: "static_segment", message: "Provide static_segment or options." },
    ]);
  }
  if (input.static_segment && findTag(list, input.name)) {
    throw invalidResource(`Sorry, that tag already exists: ${input.name}`);
  }
  const segment = newSegment(store, list, input.name, input.static_segment ? "static" : "saved");
  if (input.options) segment.options = input.options;
  for (const email of input.static_segment ?? []) {
    const member = activeMember(list, subscriberHash(email));
    if (member) tagMember(segment, member);
  }
  return segment;
}

export function segmentOrThrow(list: MailchimpList, segmentId: string): Segment {
  const segment = list.segments.get(Number(segmentId));
  if (!segment) throw notFound();
  return segment;
}

const batchSchema = z.looseObject({
  members_to_add: z.array(z.string()).optional(),
  members_to_remove: z.array(z.string()).optional(),
});

/** POST /lists/{id}/segments/{segmentId}: ≤ 500 each way; addresses not on the list are reported, not added. */
export function batchSegmentMembers(
  list: MailchimpList,
  segment: Segment,
  body: unknown,
): Record<string, unknown> {
  const input = parseWith(batchSchema, body);
  const toAdd = input.members_to_add ?? [];
  const toRemove = input.members_to_remove ?? [];
  if (toAdd.length > 500 || toRemove.length > 500) {
    throw invalidResource(SCHEMA_DETAIL, [
      {
        field: toAdd.length > 500 ? "members_to_add" : "members_to_remove",
        message: "Maximum of 500 emails per call.",
      },
    ]);
  }
  if (segment.type !== "static")
    throw badRequest("Members can only be added to or removed from static segments (tags).");
  const added: Member[] = [];
  const removed: Member[] = [];
  const missing: string[] = [];
  for (const [emails, change, into] of [
    [toAdd, tagMember, added],
    [toRemove, untagMember, removed],
  ] as const) {
    for (const email of emails) {
      const member = activeMember(list, subscriberHash(email));
      if (!member) missing.push(email);
      else if (change(segment, member)) into.push(member);
    }
  }
  const errors =
    missing.length > 0 ? [{ email_addresses: missing, error: "Email addresses are not list members." }] : [];
  return {
    members_added: added.map((m) => memberJson(list, m)),
    members_removed: removed.map((m) => memberJson(list, m)),
    errors,
    total_added: added.length,
    total_removed: removed.length,
    error_count: missing.length,
    _links: [],
  };
}

const updateSchema = z.looseObject({
  name: z.string().min(1).optional(),
  static_segment: z.array(z.string()).optional(),
});

/** PATCH /lists/{id}/segments/{segmentId}: rename, or replace a tag's members. */
export function updateSegment(list: MailchimpList, segment: Segment, body: unknown): void {
  const input = parseWith(updateSchema, body);
  if (input.name) {
    const clash = findTag(list, input.name);
    if (clash && clash.id !== segment.id)
      throw invalidResource(`Sorry, that tag already exists: ${input.name}`);
    segment.name = input.name.trim();
  }
  if (input.static_segment) {
    if (segment.type !== "static")
      throw new McProblem(400, "Bad Request", "Only static segments have members.");
    for (const hash of [...segment.members]) {
      const member = list.members.get(hash);
      if (member) untagMember(segment, member);
    }
    for (const email of input.static_segment) {
      const member = activeMember(list, subscriberHash(email));
      if (member) tagMember(segment, member);
    }
  }
  segment.updatedAt = Date.now();
}

export function deleteSegment(list: MailchimpList, segment: Segment): void {
  for (const hash of segment.members) list.members.get(hash)?.tags.delete(segment.id);
  list.segments.delete(segment.id);
}
