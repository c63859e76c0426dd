/**
 * Who is calling the JSON API. The operator presents `Authorization: Bearer <ADMIN_TOKEN>`; a shop
 * presents its own OFN key the same way plus `X-OFN-Instance`, and can then reach only its own
 * shop. Wrong credentials count against the caller's address: after a few, the address waits
 * (even with a right one), which turns guessing into a crawl. Shop-key requests are also capped per
 * address, since each costs a keyed-hash lookup.
 */
import type { Context } from "hono";
import { adminEnabled, isAdminToken } from "../../admin/token.js";
import { findShopIdByApiKey } from "../../api/shop-key.js";
import type { AppDeps } from "../../app.js";
import { FailedLookupLimiter } from "../../campaigns/lookup-limiter.js";
import { AppError } from "../../errors.js";
import type { AppEnv } from "../env.js";
import { clientIp, SlidingWindowLimiter } from "../rate-limit.js";

export type Caller = { kind: "operator" } | { kind: "shop"; shopId: string };
/** Who may call a route: the operator only, a shop only, or either (a shop then only its own). */
export type Access = "operator" | "shop" | "any";

export interface ApiLimits {
  /** Wrong credentials per address before it must wait, and the window they are counted in. */
  failures: number;
  failureWindowMs: number;
  /** Shop-key requests per address per minute. */
  shopRequestsPerMinute: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  failures: 10,
  failureWindowMs: 15 * 60_000,
  shopRequestsPerMinute: 120,
};

export type Authenticate = (c: Context<AppEnv>, access: Access) => Promise<Caller>;

function bearerToken(c: Context): string | undefined {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function unauthorized(c: Context<AppEnv>, message: string): AppError {
  c.header("WWW-Authenticate", 'Bearer realm="bridge"');
  return new AppError("UNAUTHORIZED", message);
}

export function apiAuthenticator(deps: AppDeps, limits: ApiLimits = DEFAULT_API_LIMITS): Authenticate {
  const failures = new FailedLookupLimiter(limits.failures, limits.failureWindowMs);
  const shopRequests = new SlidingWindowLimiter(limits.shopRequestsPerMinute, 60_000);
  const lookupDeps = { db: deps.database.db, keyring: deps.keyring, config: deps.config };

  return async (c, access) => {
    const t = c.get("t");
    const ip = clientIp(c, deps.config.TRUST_PROXY);
    if (failures.isBlocked(ip)) {
      c.header("Retry-After", String(failures.retryAfterSeconds(ip)));
      throw new AppError("RATE_LIMITED", t("api.auth.blocked"));
    }
    const token = bearerToken(c);
    const instance = c.req.header("x-ofn-instance");

    if (instance !== undefined) {
      // A shop key never opens an operator route, whether or not it is right.
      if (access === "operator") throw new AppError("FORBIDDEN", t("api.auth.operatorOnly"));
      const decision = shopRequests.hit(ip);
      if (!decision.allowed) {
        c.header("Retry-After", String(Math.ceil(decision.retryAfterMs / 1000)));
        throw new AppError("RATE_LIMITED", t("api.auth.tooMany"));
      }
      if (!token) throw unauthorized(c, t("api.auth.missing"));
      const shopId = await findShopIdByApiKey(lookupDeps, instance, token);
      if (!shopId) {
        failures.recordFailure(ip);
        throw unauthorized(c, t("api.auth.badShopKey"));
      }
      return { kind: "shop", shopId };
    }

    if (access === "shop") throw unauthorized(c, t("api.auth.shopOnly"));
    if (!adminEnabled(deps.config)) {
      // Without ADMIN_TOKEN the operator API does not exist; shop routes still answer shop keys.
      if (access === "operator") throw new AppError("NOT_FOUND", t("api.auth.operatorOff"));
      throw unauthorized(c, t("api.auth.missing"));
    }
    if (!token) throw unauthorized(c, t("api.auth.missing"));
    if (!isAdminToken(deps.config, token)) {
      failures.recordFailure(ip);
      throw unauthorized(c, t("api.auth.badToken"));
    }
    return { kind: "operator" };
  };
}
