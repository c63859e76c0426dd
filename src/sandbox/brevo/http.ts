/** Request plumbing shared by the Brevo routes: auth, rate buckets, errors, bodies, paging. */
import type { Context, MiddlewareHandler } from "hono";
import type { Failure } from "./store.js";
import { failure, isFailure } from "./store.js";
import type { BrevoAccount } from "./types.js";

export type BrevoEnv = { Variables: { account: BrevoAccount; sandboxAccount: string } };
export type BrevoContext = Context<BrevoEnv>;

export function sendFailure(c: Context, f: Failure, extra: Record<string, unknown> = {}): Response {
  const body: Record<string, unknown> = { code: f.code, message: f.message, ...extra };
  if (f.metadata) body.metadata = f.metadata;
  return c.json(body, f.status);
}

export const notFound = (c: Context, message: string): Response =>
  sendFailure(c, failure(404, "document_not_found", message));

/** The parsed JSON object body, or a failure Brevo would answer for a missing or broken one. */
export async function readObject(c: Context): Promise<Record<string, unknown> | Failure> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return failure(400, "bad_request", "Input must be a valid JSON object");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return failure(400, "bad_request", "Input must be a valid JSON object");
  }
  return body as Record<string, unknown>;
}

/** An integer query parameter bounded like the spec's `maximum`; out_of_range beyond it. */
export function intQuery(c: Context, name: string, fallback: number, max?: number): number | Failure {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    return failure(400, "invalid_parameter", `${name} must be a non-negative integer`);
  }
  if (max !== undefined && value > max) {
    return failure(400, "out_of_range", `${name} should be less than or equal to ${max}`);
  }
  return value;
}

/** Reads limit, offset and sort (default descending, like every Brevo listing). */
export function paging(
  c: Context,
  defaultLimit: number,
  maxLimit: number,
): { limit: number; offset: number; desc: boolean } | Failure {
  const limit = intQuery(c, "limit", defaultLimit, maxLimit);
  if (isFailure(limit)) return limit;
  const offset = intQuery(c, "offset", 0);
  if (isFailure(offset)) return offset;
  return { limit, offset, desc: c.req.query("sort") !== "asc" };
}

export function page<T>(items: T[], p: { limit: number; offset: number; desc: boolean }): T[] {
  if (!p.desc) return items.slice(p.offset, p.offset + p.limit);
  // Slice from the end rather than reversing a copy: listings can hold 100,000 contacts.
  const end = Math.max(0, items.length - p.offset);
  return items.slice(Math.max(0, end - p.limit), end).reverse();
}

export const positiveIds = (value: unknown): number[] | undefined =>
  Array.isArray(value) && value.every((v) => Number.isInteger(v)) ? (value as number[]) : undefined;

/** `api-key` header → account; Brevo answers the same 401 for a missing and an unknown key. */
export function authenticate(accounts: Map<string, BrevoAccount>): MiddlewareHandler<BrevoEnv> {
  return async (c, next) => {
    const account = accounts.get(c.req.header("api-key") ?? "");
    if (!account) return c.json({ code: "unauthorized", message: "Key not found" }, 401);
    c.set("account", account);
    c.set("sandboxAccount", account.label);
    await next();
  };
}

export interface RateLimits {
  contactsPerSecond: number;
  contactsPerHour: number;
  generalPerHour: number;
  smtpPerHour: number;
}

type Bucket = "contacts" | "smtp" | "general";

interface Window {
  limit: number;
  ms: number;
  start: number;
  used: number;
}

/**
 * Fixed windows per account and bucket, opened by the first request after the previous one
 * expired. Brevo documents limits per bucket and the three x-sib-ratelimit-* headers, not the
 * window algorithm; a fixed window makes "11 requests in one second" deterministic in tests.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window[]>();

  constructor(readonly limits: RateLimits) {}

  reset(): void {
    this.windows.clear();
  }

  middleware(): MiddlewareHandler<BrevoEnv> {
    return async (c, next) => {
      const path = new URL(c.req.url).pathname.replace(/^\/v3/, "");
      const verdict = this.take(c.get("account").label, bucketOf(path), Date.now());
      c.header("x-sib-ratelimit-limit", String(verdict.limit));
      c.header("x-sib-ratelimit-remaining", String(verdict.remaining));
      c.header("x-sib-ratelimit-reset", String(verdict.reset));
      if (!verdict.allowed) {
        return c.json({ code: "too_many_requests", message: "The expected rate limit is exceeded." }, 429);
      }
      await next();
    };
  }

  private take(label: string, bucket: Bucket, now: number) {
    const key = `${label}\n${bucket}`;
    let windows = this.windows.get(key);
    if (!windows) {
      windows = this.shapes(bucket).map(([limit, ms]) => ({ limit, ms, start: now, used: 0 }));
      this.windows.set(key, windows);
    }
    // Limits are read on every request so a test can tighten them on a running simulator.
    const shapes = this.shapes(bucket);
    for (const [i, w] of windows.entries()) {
      w.limit = shapes[i]?.[0] ?? w.limit;
      if (now >= w.start + w.ms) {
        w.start = now;
        w.used = 0;
      }
    }
    const exhausted = windows.find((w) => w.used >= w.limit);
    if (!exhausted) for (const w of windows) w.used += 1;
    const shown =
      exhausted ?? windows.reduce((a, b) => (b.limit - b.used < a.limit - a.used ? b : a), windows[0]!);
    return {
      allowed: !exhausted,
      limit: shown.limit,
      remaining: Math.max(0, shown.limit - shown.used),
      reset: Math.max(1, Math.ceil((shown.start + shown.ms - now) / 1000)),
    };
  }

  private shapes(bucket: Bucket): Array<[number, number]> {
    const hour = 3_600_000;
    if (bucket === "contacts") {
      return [
        [this.limits.contactsPerSecond, 1000],
        [this.limits.contactsPerHour, hour],
      ];
    }
    return [[bucket === "smtp" ? this.limits.smtpPerHour : this.limits.generalPerHour, hour]];
  }
}

/** brevo.md §3.1: /contacts/* is its own bucket, /smtp/* another, everything else shares 100 RPH. */
function bucketOf(path: string): Bucket {
  if (path === "/contacts" || path.startsWith("/contacts/")) return "contacts";
  if (path.startsWith("/smtp/")) return "smtp";
  return "general";
}
