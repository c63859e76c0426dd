/**
 * One SDK client per shop key, every call through the account's limiter, retries only where a
 * repeat cannot do harm. SDK errors are mapped to UpstreamError the moment they appear, so the
 * raw superagent error (it carries the Basic-auth header) never leaves this module.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { createRequire } from "node:module";
import type { z } from "zod";
import { UpstreamError } from "../../errors.js";
import { type Limiter, withRetry } from "../../limiter.js";
import { toUpstreamError } from "./errors.js";

const require = createRequire(import.meta.url);
type ApiClientClass = typeof import("@mailchimp/mailchimp_marketing/src/ApiClient");
const ApiClient = require("@mailchimp/mailchimp_marketing/src/ApiClient") as ApiClientClass;
reuseConnections();

/**
 * The SDK's superagent (3.x) opts every request out of connection pooling (`agent: false`): each
 * call opened a new connection, a new TLS handshake with Mailchimp (4 per campaign, 2+ per sync
 * chunk). Requests the SDK makes now go through keep-alive agents; sockets idle for 4 s are
 * closed, before Mailchimp's side would. Only the SDK's own copy of superagent is touched.
 */
function reuseConnections(): void {
  const fromSdk = createRequire(require.resolve("@mailchimp/mailchimp_marketing/src/ApiClient"));
  const superagent = fromSdk("superagent") as {
    Request: { prototype: { request: () => unknown; _agent?: unknown; url?: string } };
  };
  const proto = superagent.Request.prototype;
  if ((proto as { keepAlivePatched?: boolean }).keepAlivePatched) return;
  const agents = {
    http: new HttpAgent({ keepAlive: true, timeout: 4_000 }),
    https: new HttpsAgent({ keepAlive: true, timeout: 4_000 }),
  };
  const original = proto.request;
  proto.request = function (this: { _agent?: unknown; url?: string }) {
    if (this._agent === false) this._agent = this.url?.startsWith("https:") ? agents.https : agents.http;
    return original.call(this);
  };
  (proto as { keepAlivePatched?: boolean }).keepAlivePatched = true;
}

export type McApi = InstanceType<ApiClientClass>;

export interface MailchimpKey {
  apiKey: string;
  /** The datacenter, e.g. "us21": safe to put into a hostname. */
  dc: string;
}

// The datacenter becomes part of a hostname: anything looser lets a crafted key send the
// Basic-auth header to a host of its author's choosing ("…-us1.evil.com", "…-us21/x").
const DATACENTER = /^[a-z]{2}\d{1,3}$/;
const SECRET = /^[A-Za-z0-9]+$/;

/** Splits "<secret>-<dc>" and validates both parts; throws a permanent error for anything else. */
export function parseMailchimpKey(key: string): MailchimpKey {
  const apiKey = key.trim();
  const dash = apiKey.lastIndexOf("-");
  const secret = dash > 0 ? apiKey.slice(0, dash) : "";
  const dc = dash > 0 ? apiKey.slice(dash + 1) : "";
  if (!SECRET.test(secret) || !DATACENTER.test(dc)) {
    throw new UpstreamError(
      "mailchimp",
      "This is not a Mailchimp API key. Copy the whole key (it ends in a datacenter such as -us21) from Mailchimp → Profile → Extras → API keys.",
      { retryable: false, permanent: true, authFailed: true, providerCode: "Invalid Key Format" },
    );
  }
  return { apiKey, dc };
}

export interface ClientOptions {
  apiKey: string;
  /** e.g. http://127.0.0.1:PORT/3.0 for the simulator; default https://<dc>.api.mailchimp.com/3.0. */
  baseUrl?: string;
  limiter: Limiter;
  retryBaseMs?: number;
  timeoutMs?: number;
}

/**
 * How a failed call may be repeated:
 * - "idempotent": GET, PUT, PATCH, DELETE — on 429, 5xx, body-less 403, timeouts, resets;
 * - "refused-only": POST /batches — only when Mailchimp certainly did not take the request
 *   (429, body-less 403, connection refused); after a 5xx or a timeout a batch may exist already;
 * - "once": campaign create/replicate/send/schedule/test — the caller decides, with its own records.
 */
export type CallMode = "idempotent" | "refused-only" | "once";

export interface McClient {
  readonly dc: string;
  /** Origin of the API base URL: batch results may come from it when it is not Mailchimp's. */
  readonly baseOrigin: string;
  readonly retryBaseMs: number;
  call<T>(mode: CallMode, what: string, task: (api: McApi) => Promise<T>): Promise<T>;
}

const ATTEMPTS = 5;

const REFUSED_BEFORE_ACCEPTED = (error: UpstreamError): boolean =>
  error.options.status === 429 ||
  error.options.status === 403 ||
  error.options.providerCode === "ECONNREFUSED";

/** Throws (permanent) for a malformed key before any client or request exists. */
export function createMailchimpClient(options: ClientOptions): McClient {
  const { apiKey, dc } = parseMailchimpKey(options.apiKey);
  const api = new ApiClient();
  api.basePath = (options.baseUrl ?? `https://${dc}.api.mailchimp.com/3.0`).replace(/\/+$/, "");
  // No `server` in the config: the SDK would replace the first "server" anywhere in the URL.
  api.setConfig({ apiKey });
  api.timeout = options.timeoutMs ?? 30_000;
  const retryBaseMs = options.retryBaseMs ?? 2_000;

  return {
    dc,
    baseOrigin: new URL(api.basePath).origin,
    retryBaseMs,
    call<T>(mode: CallMode, what: string, task: (api: McApi) => Promise<T>): Promise<T> {
      const attempt = async (): Promise<T> => {
        try {
          return await options.limiter.run(() => task(api));
        } catch (error) {
          throw toUpstreamError(error, what);
        }
      };
      if (mode === "once") return attempt();
      return withRetry(attempt, {
        attempts: ATTEMPTS,
        baseMs: retryBaseMs,
        maxMs: retryBaseMs * 16,
        shouldRetry: (error) =>
          error instanceof UpstreamError &&
          error.retryable &&
          (mode === "idempotent" || REFUSED_BEFORE_ACCEPTED(error)),
      });
    },
  };
}

/** Validates a response body with the fields we rely on; a surprise is a permanent upstream error. */
export function readBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new UpstreamError("mailchimp", `Mailchimp answered ${what} in an unexpected form.`, {
    retryable: false,
    permanent: true,
    providerCode: "Unexpected Response",
  });
}
