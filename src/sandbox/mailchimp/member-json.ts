import { memberMergeFields } from "./merge-fields.js";
import { McProblem } from "./problems.js";
import { mcTime, mcTimeOpt } from "./store.js";
import type { MailchimpList, Member, MemberStatus } from "./types.js";

/** A member as GET /lists/{id}/members/{hash} returns it. */
export function memberJson(list: MailchimpList, m: Member): Record<string, unknown> {
  const mergeFields = memberMergeFields(list, m.mergeFields);
  const fullName = [mergeFields.FNAME, mergeFields.LNAME]
    .filter((v) => typeof v === "string" && v !== "")
    .join(" ");
  const tags = [...m.tags.keys()].map((id) => ({ id, name: list.segments.get(id)?.name ?? "" }));
  return {
    id: m.id,
    email_address: m.email,
    unique_email_id: m.uniqueEmailId,
    contact_id: m.contactId,
    full_name: fullName,
    web_id: m.webId,
    email_type: m.emailType,
    status: m.status,
    ...(m.status === "unsubscribed" ? { unsubscribe_reason: "N/A (Unsubscribed by an admin)" } : {}),
    consents_to_one_to_one_messaging: true,
    merge_fields: mergeFields,
    interests: m.interests,
    stats: { avg_open_rate: 0, avg_click_rate: 0 },
    ip_signup: m.ipSignup,
    timestamp_signup: mcTimeOpt(m.timestampSignup),
    ip_opt: m.ipOpt,
    timestamp_opt: mcTimeOpt(m.timestampOpt),
    member_rating: 2,
    last_changed: mcTime(m.lastChanged),
    language: m.language,
    vip: m.vip,
    email_client: "",
    location: { latitude: 0, longitude: 0, gmtoff: 0, dstoff: 0, country_code: "", timezone: "", region: "" },
    source: m.source,
    tags_count: tags.length,
    tags,
    list_id: list.id,
    _links: [],
  };
}

export interface MemberQuery {
  count: number;
  offset: number;
  status?: string;
  sinceLastChanged?: string;
  beforeLastChanged?: string;
  vipOnly?: boolean;
}

/** GET /lists/{id}/members: one pass over the Map, so a 100,000-member audience stays cheap. */
export function queryMembers(list: MailchimpList, q: MemberQuery): { members: Member[]; total: number } {
  if (q.count > 1000) {
    throw new McProblem(400, "Invalid Resource", "The resource submitted could not be validated.", [
      { field: "count", message: "count must be less than or equal to 1000" },
    ]);
  }
  const since = parseTime(q.sinceLastChanged, "since_last_changed");
  const before = parseTime(q.beforeLastChanged, "before_last_changed");
  const statuses = q.status ? new Set(q.status.split(",") as MemberStatus[]) : undefined;
  const page: Member[] = [];
  let total = 0;
  for (const m of list.members.values()) {
    if (statuses && !statuses.has(m.status)) continue;
    if (since !== undefined && m.lastChanged < since) continue;
    if (before !== undefined && m.lastChanged >= before) continue;
    if (q.vipOnly && !m.vip) continue;
    if (total >= q.offset && page.length < q.count) page.push(m);
    total += 1;
  }
  return { members: page, total };
}

function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new McProblem(400, "Invalid Resource", "The resource submitted could not be validated.", [
      { field, message: "Please provide a valid date (ISO 8601)" },
    ]);
  }
  return ms;
}
