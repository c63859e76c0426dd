/** Helpers for the admin and API tests: a cookie-keeping browser, admin sign-in, quick shop rows. */
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { createApp } from "../../src/app.js";
import { ofnKeyContext, ofnKeyLookupInput } from "../../src/crypto/contexts.js";
import { shops } from "../../src/db/schema/index.js";
import type { TestApp } from "../support/app.js";
import { hex, uniqueId } from "../support/ids.js";

export const ADMIN_TOKEN = `admin-${hex(40)}`;

type App = Pick<ReturnType<typeof createApp>, "request">;

/** Keeps cookies between requests and sends each from one client address (TRUST_PROXY is on). */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly ip = `10.${rand()}.${rand()}.${rand()}`;

  constructor(private readonly app: App) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    headers.set("x-forwarded-for", this.ip);
    const res = await this.app.request(path, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Posts a form with the given fields. */
  post(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

const rand = () => Math.floor(Math.random() * 250) + 1;

/** The form token a page carries. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("no _csrf field on the page");
  return match[1];
}

/** Signs in through the real form; returns the token the signed-in pages carry. */
export async function signInAdmin(browser: Browser, token = ADMIN_TOKEN): Promise<string> {
  const form = await browser.request("/admin/login");
  expect(form.status).toBe(200);
  const res = await browser.post("/admin/login", { _csrf: csrfOf(await form.text()), token });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/admin");
  const page = await browser.request("/admin");
  expect(page.status).toBe(200);
  return csrfOf(await page.text());
}

/**
 * A shop row with a real sealed key and lookup hash, without going through OFN: enough for the
 * admin list and the API's key authentication. Returns its id and clear OFN key.
 */
export async function insertShop(
  t: Pick<TestApp, "database" | "deps">,
  values: Partial<typeof shops.$inferInsert> & { ofnInstance: string },
): Promise<{ shopId: string; ofnApiKey: string }> {
  const deps = { db: t.database.db, keyring: t.deps.keyring };
  const shopId = randomUUID();
  const ofnApiKey = hex(48);
  const [lookup] = deps.keyring.lookupHashes(ofnKeyLookupInput(values.ofnInstance, ofnApiKey));
  await deps.db.insert(shops).values({
    id: shopId,
    name: `Shop ${uniqueId()}`,
    ofnKeyLookup: lookup!,
    ofnApiKeySealed: await deps.keyring.seal(ofnApiKey, ofnKeyContext(shopId)),
    ofnApiKeyLast4: ofnApiKey.slice(-4),
    ...values,
  });
  return { shopId, ofnApiKey };
}
