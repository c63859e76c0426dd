/** Shared setup for the Brevo simulator tests: one account per test, the real SDK pointed at it. */
import { randomUUID } from "node:crypto";
import { BrevoClient, BrevoError } from "@getbrevo/brevo";
import type { BrevoAccountInput, BrevoSimulator } from "../../src/sandbox/brevo.js";
import { brevoTestKey } from "../../src/sandbox/brevo.js";

export interface Shop {
  apiKey: string;
  label: string;
  client: BrevoClient;
}

/** A fresh account (own rate buckets, own data) and an SDK client without retries. */
export function newShop(
  sim: BrevoSimulator,
  basePath: string,
  input: Omit<BrevoAccountInput, "apiKey" | "label"> = {},
  maxRetries = 0,
): Shop {
  const label = `shop-${randomUUID().slice(0, 8)}`;
  const apiKey = brevoTestKey(label);
  sim.addAccount({ ...input, apiKey, label });
  return { apiKey, label, client: new BrevoClient({ apiKey, baseUrl: basePath, maxRetries }) };
}

/** The BrevoError a call rejects with (fails the test when it resolves or throws something else). */
export async function brevoError(call: Promise<unknown>): Promise<BrevoError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof BrevoError) return error;
    throw error;
  }
  throw new Error("expected the call to fail with a BrevoError");
}

/** Resolves once `check` returns true, polling every 10 ms (up to `timeoutMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
