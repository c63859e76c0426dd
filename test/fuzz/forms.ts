/**
 * Form fuzzing helpers shared by the page and admin fuzz tests: routes from the app's table, form
 * fields scraped from the pages, hostile values, the three ways a body travels, and sending with
 * a browser's cookies from a fresh client address each time (so rate limits never hide an answer).
 */
import fc from "fast-check";
import type { createApp } from "../../src/app.js";
import { Browser } from "../admin/support.js";
import type { Client } from "../web/harness.js";
import { answerOf, nastyString } from "./support.js";

type App = ReturnType<typeof createApp>;

/** Paths of the app's routes for `method` under one of `prefixes`, sorted. */
export const routesOf = (app: App, method: string, prefixes: string[]) =>
  [
    ...new Set(
      app.routes
        .filter(
          (r) => r.method === method && prefixes.some((p) => r.path === p || r.path.startsWith(`${p}/`)),
        )
        .map((r) => r.path),
    ),
  ].sort();

export const fieldNamesIn = (html: string) =>
  [...html.matchAll(/name="([^"]+)"/g)]
    .map((m) => m[1]!)
    .filter((name) => name !== "_csrf" && name !== "viewport");

/** A form body: known field names and random ones, hostile values, fields repeated or not. */
export const formFields = (names: string[]) =>
  fc.dictionary(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: nastyString(20) }),
    fc.oneof(
      { weight: 5, arbitrary: nastyString(200) },
      { weight: 1, arbitrary: fc.array(nastyString(40), { maxLength: 4 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          "dashboard",
          "yes",
          "mailchimp",
          "brevo",
          "interval",
          "cron",
          "0",
          "-1",
          "99999999999999999999",
          "*/5 * * * *",
        ),
      },
    ),
    { maxKeys: 8 },
  );

/** A value for one field: hostile text, often with a NUL or control character inside plausible text. */
export const hostileValue = fc.oneof(
  { weight: 3, arbitrary: nastyString(300) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(nastyString(40), fc.constantFrom("\u0000", "\u0001", "\u001b", "\ufeff", "\u2028"))
      .map(([s, c]) => `${s}${c}${s}`),
  },
);

/** How the body travels: urlencoded (the browser's way), multipart, or broken bytes. */
export const encoding = fc.constantFrom("urlencoded", "multipart", "broken") as fc.Arbitrary<
  "urlencoded" | "multipart" | "broken"
>;

export function encode(
  fields: Record<string, string | string[]>,
  csrf: string,
  how: "urlencoded" | "multipart" | "broken",
): { body: BodyInit; headers: Record<string, string> } {
  const pairs: Array<[string, string]> = [["_csrf", csrf]];
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) pairs.push([name, item]);
  }
  if (how === "multipart") {
    const form = new FormData();
    for (const [name, value] of pairs) form.append(name, value);
    return { body: form as BodyInit, headers: {} };
  }
  const text = new URLSearchParams(pairs).toString();
  // Percent-escapes that decode to invalid UTF-8, a truncated escape and a stray NUL.
  const body = how === "broken" ? `${text}&x=%ff%fe&y=%e2%82&z=%zz%00&${encodeURIComponent("é")}=%C3` : text;
  return { body: body as BodyInit, headers: { "content-type": "application/x-www-form-urlencoded" } };
}

const unescapeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/**
 * The POST forms of a page with the values a person would submit unchanged: text inputs and
 * textareas as filled in, the checked radio (or the first), the checked boxes, the selected option.
 */
export function formsIn(html: string): Array<{ action: string; fields: Record<string, string | string[]> }> {
  const forms: Array<{ action: string; fields: Record<string, string | string[]> }> = [];
  for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, open = "", inner = ""] = form;
    if (attr(open, "method")?.toLowerCase() !== "post") continue;
    const fields: Record<string, string | string[]> = {};
    const radios = new Map<string, string>();
    for (const [tag] of inner.matchAll(/<input\b[^>]*>/g)) {
      const name = attr(tag, "name");
      if (!name || name === "_csrf") continue;
      const value = unescapeHtml(attr(tag, "value") ?? "");
      const type = attr(tag, "type") ?? "text";
      const checked = /\schecked(="[^"]*")?/.test(tag);
      if (type === "radio") {
        if (checked || !radios.has(name)) radios.set(name, value);
      } else if (type === "checkbox") {
        if (checked) fields[name] = [...((fields[name] as string[] | undefined) ?? []), value];
      } else fields[name] = value;
    }
    for (const [name, value] of radios) fields[name] = value;
    for (const m of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = attr(m[1] ?? "", "name");
      if (name) fields[name] = unescapeHtml(m[2] ?? "");
    }
    for (const m of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attr(m[1] ?? "", "name");
      const options = [...(m[2] ?? "").matchAll(/<option\b([^>]*)>/g)].map((o) => o[1] ?? "");
      const chosen = options.find((o) => /\sselected/.test(o)) ?? options[0];
      if (name && chosen !== undefined) fields[name] = unescapeHtml(attr(chosen, "value") ?? "");
    }
    forms.push({ action: unescapeHtml(attr(open, "action") ?? ""), fields });
  }
  return forms;
}

/** Query values as a browser sends them: lone surrogates become the replacement character. */
export const wellFormed = (q: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(q).map(([k, v]) => [Buffer.from(k).toString(), Buffer.from(v).toString()]),
  );

let ipSeq = 0;

/** Sends one request with the browser's cookies (not updating them) from a new client address. */
export async function send(
  app: App,
  client: Client | Browser,
  path: string,
  init: { method: string; body?: BodyInit; headers?: Record<string, string> },
) {
  const ip = `198.18.${Math.floor(ipSeq / 250) % 250}.${(ipSeq++ % 250) + 1}`;
  const headers = { "x-forwarded-for": ip, ...init.headers };
  if (client instanceof Browser) return answerOf(await client.request(path, { ...init, headers }));
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return answerOf(await app.request(path, { ...init, headers: { cookie, ...headers } }));
}
