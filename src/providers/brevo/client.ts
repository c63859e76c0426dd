/**
 * The one BrevoClient of a provider instance, and the only way requests leave it: a per-account
 * start budget for /contacts (Brevo: 10 requests per second), the shared connection cap, error
 * mapping and our own retries. The SDK's retries are off: it retries POSTs on 408/429/5xx and
 * ignores x-sib-ratelimit-reset (brevo.md §5.4), which duplicates campaigns and sends.
 */
import { createHash } from "node:crypto";
import type { BrevoClient } from "@getbrevo/brevo";
import { UpstreamError } from "../../errors.js";
import { type Limiter, withRetry } from "../../limiter.js";
import { toUpstreamError } from "./errors.js";

export interface BrevoClientOptions {
  apiKey: string;
  /** e.g. http://127.0.0.1:PORT/v3; undefined = https://api.brevo.com/v3. */
  baseUrl?: string;
  limiter: Limiter;
  retryBaseMs?: number;
  /** Per-request timeout (60 s); tests shorten it. */
  timeoutSeconds?: number;
}

/**
 * What may be repeated inside the adapter: "all" for reads and idempotent writes (import upserts,
 * list membership, PUTs), "rate-limit" when only a 429 (refused before any work) is safe to
 * repeat, "none" for campaign POSTs, whose callers persist ids and decide themselves.
 */
export type RetryMode = "all" | "rate-limit" | "none";

/** Brevo's rate buckets (brevo.md §3.1): /contacts 10 per second; /smtp 300 and the rest 100 per hour. */
export type Bucket = "contacts" | "smtp" | "general";

export interface BrevoApi {
  call<T>(bucket: Bucket, task: (sdk: BrevoClient) => Promise<T>, retry?: RetryMode): Promise<T>;
}

/** Longest wait for a 429's reset we sit through; beyond it the caller sees a retryable error. */
const MAX_RATE_WAIT_MS = 60_000;
const ATTEMPTS = 4;

/** Sliding window over request starts; a few ms of margin so arrival jitter stays under Brevo's window. */
export class StartWindow {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const now = Date.now();
        while (this.starts.length > 0 && this.starts[0]! <= now - this.windowMs) this.starts.shift();
        if (this.starts.length < this.limit) {
          this.starts.push(now);
          return;
        }
        await sleep(this.starts[0]! + this.windowMs - now);
      }
    });
    this.queue = turn;
    return turn;
  }
}

// Per account and process, shared by every provider instance built for the same key. Keyed by a
// hash so this long-lived map never holds a key in clear.
const contactWindows = new Map<string, StartWindow>();
const CONTACTS_PER_WINDOW = 10;
const CONTACTS_WINDOW_MS = 1_100;

function contactWindow(apiKey: string): StartWindow {
  const id = createHash("sha256").update(apiKey).digest("base64url");
  let window = contactWindows.get(id);
  if (!window) {
    window = new StartWindow(CONTACTS_PER_WINDOW, CONTACTS_WINDOW_MS);
    contactWindows.set(id, window);
  }
  return window;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createBrevoApi(options: BrevoClientOptions): BrevoApi {
  // Loaded on first use: the generated SDK is large and a Mailchimp-only bridge never needs it.
  let sdkPromise: Promise<BrevoClient> | undefined;
  const client = () => {
    sdkPromise ??= import("@getbrevo/brevo").then(
      ({ BrevoClient }) =>
        new BrevoClient({
          apiKey: options.apiKey,
          ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
          maxRetries: 0,
          timeoutInSeconds: options.timeoutSeconds ?? 60,
        }),
    );
    return sdkPromise;
  };
  const window = contactWindow(options.apiKey);
  const once = async <T>(bucket: Bucket, task: (sdk: BrevoClient) => Promise<T>): Promise<T> => {
    return options.limiter.run(async () => {
      // Taken inside the connection slot, right before sending: a start taken earlier and sent
      // after a wait for a slot would bunch up with later ones in Brevo's one-second window.
      if (bucket === "contacts") await window.take();
      try {
        return await task(await client());
      } catch (error) {
        throw toUpstreamError(error, options.apiKey);
      }
    });
  };
  return {
    call(bucket, task, retry = "all") {
      if (retry === "none") return once(bucket, task);
      return withRetry(() => once(bucket, task), {
        attempts: ATTEMPTS,
        baseMs: options.retryBaseMs ?? 500,
        maxMs: 30_000,
        shouldRetry: (error) => {
          if (!(error instanceof UpstreamError) || !error.retryable) return false;
          if (retry === "rate-limit" && error.options.status !== 429) return false;
          const after = error.options.retryAfterMs ?? 0;
          return after > MAX_RATE_WAIT_MS ? false : { afterMs: after };
        },
      });
    },
  };
}
