/** Tags are static segments: one Segment per tag name, membership kept on both sides. */
import { z } from "zod";
import { parseWith } from "./problems.js";
import { type MailchimpStore, mcTime } from "./store.js";
import type { MailchimpList, Member, Segment } from "./types.js";

/** Mailchimp may change a tag's casing, so names compare case-insensitively. */
export function findTag(list: MailchimpList, name: string): Segment | undefined {
  const wanted = name.trim().toLowerCase();
  for (const s of list.segments.values()) {
    if (s.type === "static" && s.name.toLowerCase() === wanted) return s;
  }
  return undefined;
}

export function newSegment(
  store: MailchimpStore,
  list: MailchimpList,
  name: string,
  type: Segment["type"],
): Segment {
  const now = Date.now();
  const segment: Segment = {
    id: store.nextId(),
    name: name.trim(),
    type,
    members: new Set(),
    createdAt: now,
    updatedAt: now,
  };
  list.segments.set(segment.id, segment);
  return segment;
}

export function tagMember(segment: Segment, member: Member): boolean {
  if (segment.members.has(member.id)) return false;
  segment.members.add(member.id);
  member.tags.set(segment.id, Date.now());
  segment.updatedAt = Date.now();
  return true;
}

export function untagMember(segment: Segment, member: Member): boolean {
  if (!segment.members.delete(member.id)) return false;
  member.tags.delete(segment.id);
  segment.updatedAt = Date.now();
  return true;
}

/** POST /lists/{id}/members/{hash}/tags: an unknown tag sent "active" is created. */
export function applyTags(
  store: MailchimpStore,
  list: MailchimpList,
  member: Member,
  tags: Array<{ name: string; status: "active" | "inactive" }>,
): void {
  for (const t of tags) {
    const existing = findTag(list, t.name);
    if (t.status === "active") tagMember(existing ?? newSegment(store, list, t.name, "static"), member);
    else if (existing) untagMember(existing, member);
  }
}

const tagsSchema = z.looseObject({
  tags: z.array(z.looseObject({ name: z.string().min(1), status: z.enum(["active", "inactive"]) })),
  is_syncing: z.boolean().optional(),
});

export function updateMemberTags(
  store: MailchimpStore,
  list: MailchimpList,
  member: Member,
  body: unknown,
): void {
  applyTags(store, list, member, parseWith(tagsSchema, body).tags);
}

/** Keeps segment membership in step when a member changes address or is erased. */
export function moveTagMemberships(list: MailchimpList, from: string, to: string | undefined): void {
  for (const segment of list.segments.values()) {
    if (!segment.members.delete(from)) continue;
    if (to) segment.members.add(to);
  }
}

export function memberTagsJson(list: MailchimpList, member: Member): Record<string, unknown> {
  const tags = [...member.tags].map(([id, at]) => ({
    id,
    name: list.segments.get(id)?.name ?? "",
    date_added: mcTime(at),
  }));
  return { tags, total_items: tags.length, _links: [] };
}
