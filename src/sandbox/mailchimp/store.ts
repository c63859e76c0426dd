import { createHash, randomBytes } from "node:crypto";
import { notFound } from "./problems.js";
import type { MailchimpAccount, MailchimpList, Member } from "./types.js";

/** Every simulated account plus the simulator-wide counters (web ids, tag ids, ...). */
export class MailchimpStore {
  readonly accounts = new Map<string, MailchimpAccount>();
  readonly byLabel = new Map<string, MailchimpAccount>();
  /** Gzipped tar results of finished batches, served under /__sandbox/batch-results. */
  readonly batchResults = new Map<string, Buffer>();
  private sequence = 1000;

  nextId(): number {
    this.sequence += 1;
    return this.sequence;
  }

  accountOrThrow(apiKey: string): MailchimpAccount {
    const account = this.accounts.get(apiKey);
    if (!account) throw new Error(`no simulated Mailchimp account for key …${apiKey.slice(-4)}`);
    return account;
  }

  /** Finds the account whose key matches `apiKey` except for the datacenter suffix. */
  accountOnOtherDatacenter(apiKey: string): MailchimpAccount | undefined {
    const secret = splitKey(apiKey).secret;
    for (const account of this.accounts.values()) {
      if (splitKey(account.apiKey).secret === secret) return account;
    }
    return undefined;
  }
}

export function splitKey(apiKey: string): { secret: string; dc: string } {
  const dash = apiKey.lastIndexOf("-");
  return dash < 0
    ? { secret: apiKey, dc: "" }
    : { secret: apiKey.slice(0, dash), dc: apiKey.slice(dash + 1) };
}

/** Mailchimp identifies members by the MD5 of the trimmed, lower-cased address. */
export function subscriberHash(email: string): string {
  return createHash("md5").update(email.trim().toLowerCase()).digest("hex");
}

/** Path segments (already decoded by Hono) may carry the hash or the address itself. */
export function memberKey(hashOrEmail: string): string {
  return hashOrEmail.includes("@") ? subscriberHash(hashOrEmail) : hashOrEmail.toLowerCase();
}

export function hexId(bytes = 5): string {
  return randomBytes(bytes).toString("hex");
}

/** Mailchimp's timestamp style: second precision with an explicit "+00:00" offset. */
export function mcTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "+00:00");
}

/** Absent timestamps are left out: the real API sends "", which its own spec (date-time) rejects. */
export function mcTimeOpt(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : mcTime(ms);
}

export function listOrThrow(account: MailchimpAccount, listId: string): MailchimpList {
  const list = account.lists.get(listId);
  if (!list) throw notFound();
  return list;
}

/** Archived members count as absent for "is this address on the list" decisions. */
export function activeMember(list: MailchimpList, hash: string): Member | undefined {
  const member = list.members.get(hash);
  return member && member.status !== "archived" ? member : undefined;
}

export function parseCountOffset(query: (name: string) => string | undefined): {
  count: number;
  offset: number;
} {
  const count = Number(query("count") ?? 10);
  const offset = Number(query("offset") ?? 0);
  return {
    count: Number.isFinite(count) && count >= 0 ? Math.floor(count) : 10,
    offset: Number.isFinite(offset) && offset >= 0 ? Math.floor(offset) : 0,
  };
}
