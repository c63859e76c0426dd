/**
 * Authentication and the 10-connection limit. The limit is decided before the shared controls
 * middleware (which adds latency) so slow requests hold their slot like they do at Mailchimp, and
 * the refusal is answered after it so the request log still records the 401 or 429.
 */
import type { MiddlewareHandler } from "hono";
import { McProblem, problemResponse } from "./problems.js";
import { type MailchimpStore, splitKey } from "./store.js";
import type { MailchimpAccount } from "./types.js";

export type McEnv = {
  Variables: {
    account: MailchimpAccount;
    /** Read by the shared request log: a label, never the key. */
    sandboxAccount: string;
    rejection: McProblem | undefined;
  };
};

/** Basic (any user, key as password), `apikey KEY`, or an OAuth-style Bearer token. */
export function extractKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const space = header.indexOf(" ");
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  }
  return scheme === "apikey" || scheme === "bearer" || scheme === "oauth" ? value : undefined;
}

/** The datacenter a request was addressed to, when its Host says so (e.g. "us21.api.mailchimp.com"). */
function hostDatacenter(host: string | undefined): string | undefined {
  const first = host?.split(".")[0]?.toLowerCase();
  return first && /^[a-z]{2}\d{1,3}$/.test(first) ? first : undefined;
}

const wrongDatacenter = (dc: string): McProblem =>
  new McProblem(403, "Wrong Datacenter", `The API key provided is linked to datacenter '${dc}'`);

export function resolveAccount(
  store: MailchimpStore,
  authorization: string | undefined,
  host: string | undefined,
): MailchimpAccount | McProblem {
  const key = extractKey(authorization);
  if (!key) return new McProblem(401, "API Key Missing", "Your request did not include an API key.");
  const account = store.accounts.get(key);
  if (account) {
    const addressed = hostDatacenter(host);
    return addressed && addressed !== account.dc ? wrongDatacenter(account.dc) : account;
  }
  const sibling = store.accountOnOtherDatacenter(key);
  if (sibling && splitKey(key).dc !== "") return wrongDatacenter(sibling.dc);
  return new McProblem(
    401,
    "API Key Invalid",
    "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
  );
}

/** Outer middleware: identifies the account and takes a connection slot, or records why not. */
export function admit(store: MailchimpStore, maxConnectionsPerKey: number): MiddlewareHandler<McEnv> {
  return async (c, next) => {
    const result = resolveAccount(store, c.req.header("authorization"), c.req.header("host"));
    if (result instanceof McProblem) {
      c.set("rejection", result);
      return next();
    }
    c.set("account", result);
    c.set("sandboxAccount", result.label);
    if (result.inFlight >= maxConnectionsPerKey) {
      // Mailchimp sends no Retry-After and no rate-limit headers.
      c.set(
        "rejection",
        new McProblem(
          429,
          "Too Many Requests",
          `You have exceeded the limit of ${maxConnectionsPerKey} simultaneous connections.`,
        ),
      );
      return next();
    }
    result.inFlight += 1;
    result.peakInFlight = Math.max(result.peakInFlight, result.inFlight);
    try {
      await next();
    } finally {
      result.inFlight -= 1;
    }
  };
}

/**
 * Inner middleware of the API routes: answers a refusal decided by `admit`, or authenticates
 * internal calls (batch operations), which bypass the connection limit like Mailchimp's workers.
 */
export function authenticate(store: MailchimpStore): MiddlewareHandler<McEnv> {
  return async (c, next) => {
    const rejection = c.get("rejection");
    if (rejection) return problemResponse(rejection);
    if (!c.get("account")) {
      const result = resolveAccount(store, c.req.header("authorization"), undefined);
      if (result instanceof McProblem) return problemResponse(result);
      c.set("account", result);
    }
    await next();
  };
}
