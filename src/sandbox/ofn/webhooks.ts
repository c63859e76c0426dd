/**
 * OFN's `WebhookDeliveryJob` under Sidekiq defaults: 5 jobs at once, no redirects, 30 s timeout,
 * 25 retries on Sidekiq's backoff with the job id kept (ofn.md §2.1, §3.1).
 */
import { randomUUID } from "node:crypto";
import { toRailsJson } from "./time-format.js";
import type { WebhookDelivery, WebhookPayload } from "./types.js";

const CONCURRENCY = 5;
const MAX_RETRIES = 25;

export interface DispatcherOptions {
  /** Multiplies Sidekiq's retry delays (0.001 turns ≈20 days into ≈30 minutes). */
  timeScale: number;
  timeoutMs: number;
  /** Mimic the SSRF guard: refuse loopback/private hosts like a real instance does. */
  refusePrivateAddresses: boolean;
  random: () => number;
}

export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly ready: WebhookDelivery[] = [];
  private readonly retryTimers = new Map<WebhookDelivery, ReturnType<typeof setTimeout>>();
  private readonly waiters = new Set<() => void>();
  private readonly shutdown = new AbortController();
  private inFlight = 0;

  constructor(private readonly options: DispatcherOptions) {}

  /** Queues one job; `payload.id` is filled with a fresh job id. */
  enqueue(userId: number, url: string, payload: Omit<WebhookPayload, "id">): WebhookDelivery {
    const id = randomUUID();
    const rawBody = toRailsJson({ id, ...payload });
    const delivery: WebhookDelivery = {
      id,
      event: payload.event,
      userId,
      url,
      body: JSON.parse(rawBody) as WebhookPayload,
      rawBody,
      attempts: [],
      done: false,
      gaveUp: false,
      nextAttemptAt: null,
    };
    this.deliveries.push(delivery);
    if (!this.shutdown.signal.aborted) {
      this.ready.push(delivery);
      this.pump();
    }
    return delivery;
  }

  /**
   * Resolves once nothing is queued or in flight. Deliveries waiting for a retry count as settled
   * unless `includeRetries` is set (then it waits until every one succeeded or gave up).
   */
  flush(options: { includeRetries?: boolean } = {}): Promise<void> {
    const settled = () =>
      this.inFlight === 0 &&
      this.ready.length === 0 &&
      (!options.includeRetries || this.retryTimers.size === 0);
    if (settled() || this.shutdown.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (settled() || this.shutdown.signal.aborted) {
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
    });
  }

  close(): void {
    this.shutdown.abort();
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.ready.length = 0;
    this.notify();
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }

  private pump(): void {
    while (this.inFlight < CONCURRENCY && this.ready.length > 0 && !this.shutdown.signal.aborted) {
      const delivery = this.ready.shift()!;
      this.inFlight += 1;
      void this.attempt(delivery).finally(() => {
        this.inFlight -= 1;
        this.pump();
        this.notify();
      });
    }
  }

  private async attempt(delivery: WebhookDelivery): Promise<void> {
    delivery.nextAttemptAt = null;
    const outcome = await this.post(delivery);
    if (this.shutdown.signal.aborted) return;
    delivery.attempts.push({ at: new Date().toISOString(), ...outcome });
    if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) {
      delivery.done = true;
      return;
    }
    const retryCount = delivery.attempts.length - 1;
    if (retryCount >= MAX_RETRIES) {
      // Sidekiq moves the job to the Dead set: OFN never tries again.
      delivery.gaveUp = true;
      return;
    }
    this.scheduleRetry(delivery, retryCount);
  }

  private async post(delivery: WebhookDelivery): Promise<{ status?: number; error?: string }> {
    if (this.options.refusePrivateAddresses && isPrivateHost(delivery.url)) {
      return { error: "PrivateAddressCheck::PrivateConnectionAttemptedError" };
    }
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: { "User-Agent": "openfoodnetwork_webhook/1.0", "Content-Type": "application/json" },
        body: delivery.rawBody,
        // Faraday without the follow-redirects middleware: a 3xx is just a failed status.
        redirect: "manual",
        signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.shutdown.signal]),
      });
      await response.body?.cancel();
      return { status: response.status };
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      return {
        error: name === "TimeoutError" ? "Faraday::TimeoutError" : `Faraday::ConnectionFailed (${name})`,
      };
    }
  }

  /** Sidekiq 7 default backoff: count⁴ + 15 + rand(10)·(count + 1) seconds. */
  private scheduleRetry(delivery: WebhookDelivery, count: number): void {
    const seconds = count ** 4 + 15 + Math.floor(this.options.random() * 10) * (count + 1);
    const delayMs = seconds * 1000 * this.options.timeScale;
    delivery.nextAttemptAt = Date.now() + delayMs;
    const timer = setTimeout(() => {
      this.retryTimers.delete(delivery);
      this.ready.push(delivery);
      this.pump();
      this.notify();
    }, delayMs);
    // A forgotten close() must not keep a test runner alive for simulated days.
    timer.unref();
    this.retryTimers.set(delivery, timer);
  }
}

function isPrivateHost(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host.includes(":")) return host === "::1" || /^(fc|fd|fe8|fe9|fea|feb)/.test(host);
  const octets = host.split(".").map(Number);
  if (octets.length !== 4 || octets.some((n) => !Number.isInteger(n))) return false;
  const [a = 0, b = 0] = octets;
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 172 && b >= 16 && b < 32) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254)
  );
}
