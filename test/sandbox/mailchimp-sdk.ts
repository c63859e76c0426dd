/** Test helpers: the official Mailchimp SDK pointed at the simulator, and contract assertions. */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { expect } from "vitest";
import type { MailchimpSimulator } from "../../src/sandbox/mailchimp.js";
import { responseViolations } from "../support/openapi-contract.js";

type ApiClientClass = typeof import("@mailchimp/mailchimp_marketing/src/ApiClient");
export type SdkClient = InstanceType<ApiClientClass>;

const require = createRequire(import.meta.url);
const ApiClient = require("@mailchimp/mailchimp_marketing/src/ApiClient") as ApiClientClass;

/** One client per key, `basePath` set and no `server` in the config (see the URL-builder quirk). */
export function sdkClient(basePath: string, apiKey: string): SdkClient {
  const client = new ApiClient();
  client.basePath = basePath;
  client.setConfig({ apiKey });
  return client;
}

export const newKey = (dc = "us21"): string => `${randomBytes(16).toString("hex")}-${dc}`;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: Array<{ field: string; message: string }>;
}

export interface SdkFailure {
  status: number;
  body: Problem;
  headers: Record<string, string>;
  message: string;
}

/** The SDK rejects with a raw superagent error; keep only what a caller may safely look at. */
export async function sdkFailure(call: Promise<unknown>): Promise<SdkFailure> {
  try {
    await call;
  } catch (error) {
    const e = error as {
      status?: number;
      message: string;
      response?: { body: Problem; headers: Record<string, string> };
    };
    if (!e.response || e.status === undefined) throw error;
    return { status: e.status, body: e.response.body, headers: e.response.headers, message: e.message };
  }
  throw new Error("expected the SDK call to fail");
}

/**
 * The spec types every merge-field value as an object, yet the live API (and its own docs)
 * return strings ("FNAME": "Alice"); the simulator follows the API, so that one rule is waived.
 */
const SPEC_DEFECTS = [/\/merge_fields\/[A-Z0-9_]+ must be object$/];

export function expectContract(method: string, path: string, status: number, body: unknown): void {
  const violations = responseViolations("mailchimp-marketing-api.json", method, path, status, body);
  expect(violations.filter((v) => !SPEC_DEFECTS.some((defect) => defect.test(v)))).toEqual([]);
}

/** A fresh account with one audience, so tests never share state. */
export function seedShop(
  sim: MailchimpSimulator,
  basePath: string,
  opts: { fromEmailVerified?: string[]; canSchedule?: boolean; label?: string } = {},
): { key: string; label: string; client: SdkClient; listId: string } {
  const key = newKey();
  const label = opts.label ?? `shop-${key.slice(0, 6)}`;
  sim.addAccount({ apiKey: key, ...opts, label });
  const list = sim.addList(key, { name: "Farm shop customers" });
  return { key, label, client: sdkClient(basePath, key), listId: list.id };
}
