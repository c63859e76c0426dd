/** Routes under /lists: audiences, merge fields, members, tags and segments. */
import type { Context, Hono } from "hono";
import type { McEnv } from "./auth.js";
import { batchSubscribe } from "./batch-subscribe.js";
import { listJson } from "./lists.js";
import { memberJson, queryMembers } from "./member-json.js";
import { archiveMember, forgetMember, patchMember, postMember, putMember } from "./members.js";
import { createMergeField, mergeFieldJson } from "./merge-fields.js";
import { McProblem, notFound, readJson, respond } from "./problems.js";
import {
  batchSegmentMembers,
  createSegment,
  deleteSegment,
  segmentFilter,
  segmentJson,
  segmentOrThrow,
  updateSegment,
} from "./segments.js";
import { listOrThrow, type MailchimpStore, memberKey, parseCountOffset } from "./store.js";
import { memberTagsJson, updateMemberTags } from "./tags.js";
import type { MailchimpList } from "./types.js";

type C = Context<McEnv>;

const list = (c: C) => listOrThrow(c.get("account"), c.req.param("listId") ?? "");
const flag = (c: C, name: string) => c.req.query(name) === "true";
const skipMerge = (c: C) => flag(c, "skip_merge_validation");

function member(c: C) {
  return existingMember(list(c), c.req.param("hash") ?? "");
}

function existingMember(l: MailchimpList, pathKey: string) {
  const m = l.members.get(memberKey(pathKey));
  if (!m) throw notFound();
  return { list: l, member: m };
}

/** PUT /lists/{id}/members/{hash}; also run directly by /batches, which sends thousands. */
export function upsertMemberJson(
  store: MailchimpStore,
  l: MailchimpList,
  pathKey: string,
  body: unknown,
  skipMergeValidation: boolean,
): Record<string, unknown> {
  return memberJson(l, putMember(store, l, pathKey, body, skipMergeValidation));
}

/** POST /lists/{id}/members/{hash}/tags (answers 204); also run directly by /batches. */
export function postMemberTags(
  store: MailchimpStore,
  l: MailchimpList,
  pathKey: string,
  body: unknown,
): void {
  const found = existingMember(l, pathKey);
  if (found.member.status === "archived") throw notFound();
  updateMemberTags(store, found.list, found.member, body);
}

function page<T>(c: C, items: T[]): { items: T[]; total: number } {
  const { count, offset } = parseCountOffset((n) => c.req.query(n));
  return { items: items.slice(offset, offset + count), total: items.length };
}

export function mountListRoutes(api: Hono<McEnv>, store: MailchimpStore): void {
  api.get("/lists", (c) => {
    const account = c.get("account");
    const { items, total } = page(c, [...account.lists.values()]);
    return respond(c, {
      lists: items.map((l) => listJson(account, l)),
      total_items: total,
      constraints: { may_create: true, max_instances: 1, current_total_instances: account.lists.size },
      _links: [],
    });
  });
  api.get("/lists/:listId", (c) => respond(c, listJson(c.get("account"), list(c))));
  api.post("/lists/:listId", async (c) => {
    const l = list(c);
    const body = await readJson(c);
    const opts = { skipMergeValidation: skipMerge(c), skipDuplicateCheck: flag(c, "skip_duplicate_check") };
    return respond(c, batchSubscribe(store, l, body, opts));
  });

  api.get("/lists/:listId/merge-fields", (c) => {
    const l = list(c);
    const { items, total } = page(c, l.mergeFields);
    return respond(c, {
      merge_fields: items.map((f) => mergeFieldJson(l, f)),
      list_id: l.id,
      total_items: total,
      _links: [],
    });
  });
  api.post("/lists/:listId/merge-fields", async (c) => {
    const l = list(c);
    return respond(c, mergeFieldJson(l, createMergeField(l, await readJson(c))));
  });

  api.get("/lists/:listId/members", (c) => {
    const l = list(c);
    const { count, offset } = parseCountOffset((n) => c.req.query(n));
    const { members, total } = queryMembers(l, {
      count,
      offset,
      status: c.req.query("status"),
      sinceLastChanged: c.req.query("since_last_changed"),
      beforeLastChanged: c.req.query("before_last_changed"),
      vipOnly: flag(c, "vip_only"),
    });
    return respond(c, {
      members: members.map((m) => memberJson(l, m)),
      list_id: l.id,
      total_items: total,
      _links: [],
    });
  });
  api.post("/lists/:listId/members", async (c) => {
    const l = list(c);
    return respond(c, memberJson(l, postMember(store, l, await readJson(c), skipMerge(c))));
  });
  api.get("/lists/:listId/members/:hash", (c) => {
    const found = member(c);
    return respond(c, memberJson(found.list, found.member));
  });
  api.put("/lists/:listId/members/:hash", async (c) => {
    const l = list(c);
    const body = await readJson(c);
    return respond(c, upsertMemberJson(store, l, c.req.param("hash"), body, skipMerge(c)));
  });
  api.patch("/lists/:listId/members/:hash", async (c) => {
    const l = list(c);
    const body = await readJson(c);
    return respond(c, memberJson(l, patchMember(l, c.req.param("hash"), body, skipMerge(c))));
  });
  api.delete("/lists/:listId/members/:hash", (c) => {
    archiveMember(list(c), c.req.param("hash"));
    return c.body(null, 204);
  });
  api.post("/lists/:listId/members/:hash/actions/delete-permanent", (c) => {
    forgetMember(list(c), c.req.param("hash"));
    return c.body(null, 204);
  });

  api.get("/lists/:listId/members/:hash/tags", (c) => {
    const found = member(c);
    return respond(c, memberTagsJson(found.list, found.member));
  });
  api.post("/lists/:listId/members/:hash/tags", async (c) => {
    postMemberTags(store, list(c), c.req.param("hash"), await readJson(c));
    return c.body(null, 204);
  });

  api.get("/lists/:listId/segments", (c) => {
    const l = list(c);
    const type = c.req.query("type");
    const all = [...l.segments.values()].filter((s) => !type || s.type === type);
    const { items, total } = page(c, all);
    return respond(c, {
      segments: items.map((s) => segmentJson(l, s)),
      list_id: l.id,
      total_items: total,
      _links: [],
    });
  });
  api.post("/lists/:listId/segments", async (c) => {
    const l = list(c);
    return respond(c, segmentJson(l, createSegment(store, l, await readJson(c))));
  });
  api.get("/lists/:listId/segments/:segmentId", (c) => {
    const l = list(c);
    return respond(c, segmentJson(l, segmentOrThrow(l, c.req.param("segmentId"))));
  });
  api.post("/lists/:listId/segments/:segmentId", async (c) => {
    const l = list(c);
    const segment = segmentOrThrow(l, c.req.param("segmentId"));
    return respond(c, batchSegmentMembers(l, segment, await readJson(c)));
  });
  api.patch("/lists/:listId/segments/:segmentId", async (c) => {
    const l = list(c);
    const segment = segmentOrThrow(l, c.req.param("segmentId"));
    updateSegment(l, segment, await readJson(c));
    return respond(c, segmentJson(l, segment));
  });
  api.delete("/lists/:listId/segments/:segmentId", (c) => {
    const l = list(c);
    deleteSegment(l, segmentOrThrow(l, c.req.param("segmentId")));
    return c.body(null, 204);
  });
  api.get("/lists/:listId/segments/:segmentId/members", (c) => {
    const l = list(c);
    const segment = segmentOrThrow(l, c.req.param("segmentId"));
    const inside = segmentFilter(l, { saved_segment_id: segment.id });
    const { count, offset } = parseCountOffset((n) => c.req.query(n));
    if (count > 1000)
      throw new McProblem(400, "Invalid Resource", "count must be less than or equal to 1000");
    const matching = [...l.members.values()].filter((m) => m.status !== "archived" && inside(m));
    return respond(c, {
      members: matching.slice(offset, offset + count).map((m) => memberJson(l, m)),
      total_items: matching.length,
      _links: [],
    });
  });
}
