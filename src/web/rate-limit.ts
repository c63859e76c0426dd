/**
 * Limits how often one client may paste an API key (OFN or provider): a guessing brake and a cap
 * on the outbound requests a stranger can make us send. In memory and per process: with several
 * replicas the real limit is the sum, which is still a brake.
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../errors.js";
import type { MessageKey, Translate } from "./i18n/index.js";

export interface RateDecision {
  allowed: boolean;
  /** When the oldest attempt in the window leaves it (0 when allowed). */
  retryAfterMs: number;
}

/** A sliding window log: at most `limit` hits per key in any `windowMs`. */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): RateDecision {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return { allowed: false, retryAfterMs: recent[0]! + this.windowMs - now };
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(now);
    return { allowed: true, retryAfterMs: 0 };
  }

  private prune(now: number): void {
    for (const [key, times] of this.hits) {
      if ((times.at(-1) ?? 0) <= now - this.windowMs) this.hits.delete(key);
    }
  }
}

/**
 * The client's address: the socket's peer, or, behind a trusted proxy, the last X-Forwarded-For
 * entry (the one our proxy appended; anything to its left is whatever the client claimed).
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for");
    const last = forwarded
      ?.split(",")
      .map((part) => part.trim())
      .filter(Boolean)
      .at(-1);
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // In-process requests (tests) have no socket.
    return "unknown";
  }
}

export interface IpLimit {
  limit: number;
  windowMs: number;
}

/**
 * Middleware refusing a client address past `limit` hits in `windowMs`, with Retry-After and a
 * localised message (`messageKey` gets `{minutes}`). Used for key pasting and admin sign-in.
 */
export function ipRateLimit<E extends { Variables: { t: Translate } }>(
  trustProxy: boolean,
  options: IpLimit,
  messageKey: MessageKey,
): MiddlewareHandler<E> {
  const limiter = new SlidingWindowLimiter(options.limit, options.windowMs);
  return async (c, next) => {
    const decision = limiter.hit(clientIp(c, trustProxy));
    if (!decision.allowed) {
      const minutes = Math.max(1, Math.ceil(decision.retryAfterMs / 60_000));
      c.header("Retry-After", String(Math.ceil(decision.retryAfterMs / 1000)));
      throw new AppError("RATE_LIMITED", c.get("t")(messageKey, { minutes }));
    }
    await next();
  };
}
