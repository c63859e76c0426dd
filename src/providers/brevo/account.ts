/**
 * GET /account and GET /senders, cached per provider instance: both sit in the 100 requests/hour
 * bucket shared with campaigns and import polling (brevo.md §3.1). Only the fields the bridge uses
 * are kept (the account answer also carries the marketing-automation key).
 */
import type { AccountInfo, Sender } from "../types.js";
import type { BrevoApi } from "./client.js";

/** A value loaded once and kept `ttlMs`; a failed load is forgotten so the next call tries again. */
export class Cached<T> {
  private value?: Promise<T>;
  private loadedAt = 0;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
  ) {}

  get(maxAgeMs = this.ttlMs): Promise<T> {
    if (!this.value || Date.now() - this.loadedAt > maxAgeMs) {
      const loading = this.load();
      this.value = loading;
      this.loadedAt = Date.now();
      loading.catch(() => {
        if (this.value === loading) this.value = undefined;
      });
    }
    return this.value;
  }

  get age(): number {
    return this.value ? Date.now() - this.loadedAt : Number.POSITIVE_INFINITY;
  }
}

export interface AccountFacts {
  email: string;
  companyName: string;
  /** Email credits left over all email plans, undefined when no plan states them. */
  emailCredits?: number;
}

export interface SenderFacts {
  id: number;
  name: string;
  email: string;
  active: boolean;
}

/** Same 15 minutes as Brevo's own WordPress plugin (brevo.md §6.2). */
const TTL_MS = 15 * 60_000;

export function cacheAccount(api: BrevoApi): Cached<AccountFacts> {
  return new Cached(async () => {
    const account = await api.call("general", (sdk) => sdk.account.getAccount());
    const credits = (account.plan ?? []).filter((p) => p.type !== "sms").map((p) => p.credits);
    return {
      email: account.email,
      companyName: account.companyName,
      emailCredits: credits.length > 0 ? credits.reduce((a, b) => a + b, 0) : undefined,
    };
  }, TTL_MS);
}

export function cacheSenders(api: BrevoApi): Cached<SenderFacts[]> {
  return new Cached(async () => {
    const { senders } = await api.call("general", (sdk) => sdk.senders.getSenders());
    return (senders ?? []).map((s) => ({ id: s.id, name: s.name, email: s.email, active: s.active }));
  }, TTL_MS);
}

export async function verifyAccount(account: Cached<AccountFacts>): Promise<AccountInfo> {
  // A key check must hit Brevo: an old cached answer would hide a key revoked since.
  const facts = await account.get(0);
  return { label: facts.email, name: facts.companyName, email: facts.email };
}

export async function listSenders(senders: Cached<SenderFacts[]>): Promise<Sender[]> {
  return (await senders.get()).map((s) => ({ email: s.email, name: s.name, verified: s.active }));
}
