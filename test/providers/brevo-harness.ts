/** Shared setup for the Brevo provider tests: the simulator, one account per test, the real adapter. */
import { randomUUID } from "node:crypto";
import { expect, vi } from "vitest";
import { UpstreamError } from "../../src/errors.js";
import { Limiter } from "../../src/limiter.js";
import { createBrevoProvider } from "../../src/providers/brevo/index.js";
import type { MappedContact, NewsletterProvider } from "../../src/providers/types.js";
import type { BrevoAccountInput, RunningBrevoSimulator } from "../../src/sandbox/brevo.js";
import { brevoTestKey } from "../../src/sandbox/brevo.js";

export interface BrevoShop {
  apiKey: string;
  label: string;
  provider: NewsletterProvider;
  /** The shop's audience list. */
  listId: number;
  audienceId: string;
}

/** A fresh account (own data, own rate buckets) with an audience list and a provider for it. */
export function brevoShop(
  server: RunningBrevoSimulator,
  input: Omit<BrevoAccountInput, "apiKey" | "label"> = {},
): BrevoShop {
  const label = `shop-${randomUUID().slice(0, 8)}`;
  const apiKey = brevoTestKey(label);
  server.sim.addAccount({ ...input, apiKey, label });
  const list = server.sim.addList(apiKey, { name: "Customers" });
  return {
    apiKey,
    label,
    provider: newProvider(server, apiKey),
    listId: list.id,
    audienceId: String(list.id),
  };
}

/** Another instance for the same key, as a second job of the same shop would build. */
export function newProvider(server: RunningBrevoSimulator, apiKey: string, limiter = new Limiter(4)) {
  return createBrevoProvider({ apiKey, baseUrl: server.basePath, limiter, retryBaseMs: 10 });
}

export function contact(email: string, fields: Partial<MappedContact> = {}): MappedContact {
  return { email, firstName: "", lastName: "", phone: "", code: "", tags: [], removeTags: [], ...fields };
}

/** The UpstreamError a call rejects with (fails the test when it resolves or throws something else). */
export async function upstreamError(call: Promise<unknown>): Promise<UpstreamError> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error("expected the call to fail with an UpstreamError");
}

/** Requests the simulator logged for one account, optionally narrowed by method and path prefix. */
export function requestsOf(
  server: RunningBrevoSimulator,
  label: string,
  method?: string,
  pathPrefix?: string,
) {
  return server.sim.controls.requests.filter(
    (r) =>
      r.account === label &&
      (!method || r.method === method) &&
      (!pathPrefix || r.path.startsWith(pathPrefix)),
  );
}

/** The most requests that arrived within any `windowMs` (sliding), from the simulator's own log. */
export function peakPerWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

export interface SentRequest {
  method: string;
  path: string;
  body: unknown;
}

/**
 * Records what the adapter sends (the SDK calls the global fetch at request time) while still
 * sending it: the simulator drops some values silently, so tests read the wire to see they were
 * never sent at all.
 */
export function recordRequests(): { sent: SentRequest[]; stop: () => void } {
  const original = globalThis.fetch;
  const sent: SentRequest[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const raw = typeof init?.body === "string" ? init.body : undefined;
    sent.push({
      method: init?.method ?? "GET",
      path: url.pathname.replace(/^\/v3/, ""),
      body: raw === undefined ? undefined : JSON.parse(raw),
    });
    return original(input, init);
  });
  return { sent, stop: () => spy.mockRestore() };
}
