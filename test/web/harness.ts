/**
 * The setup pages driven in-process like a browser would: a cookie jar, form posts with the page's
 * CSRF token, redirects followed by hand. The simulators answer over real HTTP.
 */

import { expect } from "vitest";
import { brevoTestKey } from "../../src/sandbox/brevo.js";
import { hex, uniqueId as unique } from "../support/ids.js";
import { createWorld, type World } from "../support/world.js";

export type WebWorld = World;

/** The shared integration world, with each test client on its own address (key-paste limit per test). */
export function createWebWorld(env: Record<string, string> = {}): Promise<WebWorld> {
  return createWorld({ TRUST_PROXY: "true", ...env });
}

export { hex, uniqueId as unique } from "../support/ids.js";

export interface SeededShop {
  ofnKey: string;
  enterprises: Array<{ id: number; name: string; permalink: string }>;
  mailchimpKey: string;
  brevoKey: string;
  sender: string;
  listName: string;
}

let enterpriseSeq = 5_000;

/** An OFN user with enterprises, a Mailchimp account and a Brevo account, each with one audience/list. */
export function seedShop(world: WebWorld, enterprises = 2): SeededShop {
  const id = unique();
  const ofnKey = hex(48);
  const list = Array.from({ length: enterprises }, (_, i) => ({
    id: ++enterpriseSeq,
    name: `Ferme ${id} ${i}`,
    permalink: `ferme-${id}-${i}`,
  }));
  world.ofn.addUser({ apiKey: ofnKey, email: `owner-${id}@example.org`, enterprises: list });
  world.ofn.addCustomers(list[0]!.id, [
    { email: `alice-${id}@example.org`, first_name: "Alice" },
    { email: `bob-${id}@example.org`, first_name: "Bob" },
  ]);
  const sender = `shop-${id}@example.org`;
  const mailchimpKey = `${hex(32)}-us21`;
  world.mailchimp.addAccount({
    apiKey: mailchimpKey,
    label: `mc-${id}`,
    fromEmailVerified: [sender],
    email: sender,
  });
  const listName = `Audience ${id}`;
  world.mailchimp.addList(mailchimpKey, { name: listName });
  const brevoKey = brevoTestKey(id);
  world.brevo.addAccount({
    apiKey: brevoKey,
    label: `brevo-${id}`,
    senders: [{ name: "Shop", email: sender }],
    emailCredits: 100_000,
  });
  world.brevo.addList(brevoKey, { name: listName });
  return { ofnKey, enterprises: list, mailchimpKey, brevoKey, sender, listName };
}

export interface Page {
  status: number;
  html: string;
  location: string | null;
  headers: Headers;
  setCookies: string[];
}

type Fields = Record<string, string | string[]>;

let clientSeq = 0;

/** A browser-like client: keeps cookies, sends the language and a fixed client address. */
export class Client {
  readonly cookies = new Map<string, string>();
  readonly ip = `198.51.100.${(clientSeq++ % 250) + 1}`;

  constructor(
    private readonly world: WebWorld,
    readonly lang: "en" | "fr" = "en",
  ) {}

  private async send(
    path: string,
    init: RequestInit & { headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const res = await this.world.t.app.request(path, {
      ...init,
      headers: {
        "accept-language": this.lang === "fr" ? "fr-FR,fr;q=0.9" : "en-GB,en;q=0.9",
        "x-forwarded-for": this.ip,
        ...(cookie ? { cookie } : {}),
        ...init.headers,
      },
    });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: res.status,
      html: await res.text(),
      location: res.headers.get("location"),
      headers: res.headers,
      setCookies,
    };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.send(path, { headers });
  }

  /** Posts a form as the browser would, with the CSRF token of `from` unless `csrf` says otherwise. */
  post(
    path: string,
    fields: Fields,
    options: { from?: Page; csrf?: string | null; headers?: Record<string, string> } = {},
  ) {
    const body = new URLSearchParams();
    const token =
      options.csrf === undefined ? (options.from ? csrfOf(options.from) : undefined) : options.csrf;
    if (token) body.append("_csrf", token);
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    }
    return this.send(path, {
      method: "POST",
      body: body.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", ...options.headers },
    });
  }

  /** Posts, expects a 303, follows it with a GET. */
  async submit(path: string, fields: Fields, from: Page): Promise<Page> {
    const res = await this.post(path, fields, { from });
    expect(res.status, `${path}: ${textOf(res.html).slice(0, 400)}`).toBe(303);
    return this.get(res.location!);
  }
}

export function csrfOf(page: Page): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page.html);
  if (!match?.[1]) throw new Error(`no CSRF token in page:\n${page.html.slice(0, 500)}`);
  return match[1];
}

/** The page's text without tags and with entities decoded enough to compare sentences. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();
}

/** Values of the radios or checkboxes named `name` in the page. */
export function optionValues(page: Page, name: string): string[] {
  return [...page.html.matchAll(new RegExp(`name="${name}" value="([^"]+)"`, "g"))].map((m) => m[1]!);
}

/** Runs every setup step through the pages; returns the signed-in client on its dashboard. */
export async function setUpThroughPages(
  world: WebWorld,
  options: { lang?: "en" | "fr"; provider?: "mailchimp" | "brevo"; enterprises?: number } = {},
) {
  const seeded = seedShop(world, options.enterprises ?? 1);
  const provider = options.provider ?? "mailchimp";
  const client = new Client(world, options.lang ?? "en");
  const keyForm = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
  const enterprises = await client.submit(
    "/setup/key",
    { instance: world.ofnUrl, ofn_key: seeded.ofnKey },
    keyForm,
  );
  const ids = seeded.enterprises.map((e) => String(e.id));
  await client.submit("/setup/enterprises", { sync: ids, announce: ids }, enterprises);
  const providerForm = await client.get(`/setup/provider/key?provider=${provider}`);
  const key = provider === "mailchimp" ? seeded.mailchimpKey : seeded.brevoKey;
  const audience = await client.submit("/setup/provider/key", { provider, provider_key: key }, providerForm);
  const consent = await client.submit(
    "/setup/audience",
    { audience: optionValues(audience, "audience")[0]! },
    audience,
  );
  const schedule = await client.submit(
    "/setup/consent",
    { consent: "non_marketing", require_tag: "", gone: "keep" },
    consent,
  );
  const template = await client.submit(
    "/setup/schedule",
    { mode: "interval", interval: "24", cron: "", time_zone: "Europe/Paris" },
    schedule,
  );
  const webhook = await client.submit(
    "/setup/template",
    {
      locale: options.lang ?? "en",
      from_name: "Shop",
      reply_to: seeded.sender,
      delivery: "send_now",
      subject: "{{order_cycle_name}}",
      body: "Open at {{shop_url}}",
      action: "save",
    },
    template,
  );
  const created = await client.post("/setup/webhook", {}, { from: webhook });
  const webhookUrl = /id="webhook_url" type="text" readonly="" value="([^"]+)"/.exec(created.html)?.[1];
  const dashboard = await client.get("/dashboard");
  return { client, seeded, dashboard, webhookUrl: webhookUrl!, providerKey: key };
}
