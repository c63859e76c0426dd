/**
 * Property-based tests of every form of the setup pages and the dashboard, posted by a signed-in
 * browser with a valid session and CSRF token (so the input reaches the handlers), and of every
 * page's query string and path parameters (the admin's are in admin.fuzz.test.ts). The POST routes are taken from
 * the app's own route table; the field names from the pages' forms, plus random ones. Whatever is
 * posted, the answer is a page, a redirect, or a localised HTML error: never a 5xx.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, createWebWorld, csrfOf, setUpThroughPages, type WebWorld } from "../web/harness.js";
import {
  encode,
  encoding,
  fieldNamesIn,
  formFields,
  formsIn,
  hostileValue,
  routesOf,
  send,
  wellFormed,
} from "./forms.js";
import { expectPageAnswer, nastyString, pathSegment } from "./support.js";

let world: WebWorld;

beforeAll(async () => {
  world = await createWebWorld();
}, 60_000);
afterAll(() => world.close());

/** Every page that carries a form. */
const PAGES = [
  "/dashboard",
  "/setup/key",
  "/setup/enterprises",
  "/setup/provider/key?provider=mailchimp",
  "/setup/provider/key?provider=brevo",
  "/setup/audience",
  "/setup/consent",
  "/setup/schedule",
  "/setup/template",
  "/setup/webhook",
  "/dashboard/ofn-key",
  "/dashboard/delete",
  "/dashboard/disconnect",
];

/** Routes that end the session or the shop: fuzzed with a fresh shop per run, a few runs only. */
const DESTRUCTIVE = new Set(["/dashboard/delete", "/dashboard/disconnect", "/session/logout"]);

/** A signed-in shop client with its form token, on the dashboard. */
async function signedInShop() {
  const { client, dashboard } = await setUpThroughPages(world, {
    provider: Math.random() < 0.5 ? "mailchimp" : "brevo",
  });
  return { client, csrf: csrfOf(dashboard) };
}

describe("shop forms under random input", () => {
  let shop: Awaited<ReturnType<typeof signedInShop>>;
  let names: string[];
  let paths: string[];
  beforeAll(async () => {
    shop = await signedInShop();
    const found = new Set<string>();
    for (const page of PAGES)
      for (const name of fieldNamesIn((await shop.client.get(page)).html)) found.add(name);
    names = [...found].sort();
    paths = routesOf(world.t.app, "POST", ["/setup", "/dashboard", "/session"]);
  }, 60_000);

  it("enumerates the forms it fuzzes from the app's routes", () => {
    expect(paths).toEqual(
      expect.arrayContaining(["/setup/key", "/setup/template", "/dashboard/test", "/dashboard/delete"]),
    );
    expect(names).toEqual(
      expect.arrayContaining(["ofn_key", "provider_key", "subject", "body", "cron", "test_email"]),
    );
  });

  it("answers every non-destructive form with a page, a redirect or a clear error", async () => {
    const routes = paths.filter((p) => !DESTRUCTIVE.has(p));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        pathSegment,
        formFields(names),
        encoding,
        async (route, param, fields, how) => {
          const path = route.replace(/:[A-Za-z]+/g, param);
          const { body, headers } = encode(fields, shop.csrf, how);
          const answer = await send(world.t.app, shop.client, path, { method: "POST", body, headers });
          expectPageAnswer(answer, `POST ${path} (${how}) ${JSON.stringify(fields).slice(0, 300)}`);
        },
      ),
      { numRuns: 400 },
    );
  }, 120_000);

  it("answers each real form with one or two of its fields replaced by hostile values", async () => {
    // The baseline passes every check, so the hostile value is what reaches the service and the database.
    const forms = new Map<string, Record<string, string | string[]>>();
    for (const page of PAGES) {
      for (const form of formsIn((await shop.client.get(page)).html)) {
        if (form.action.startsWith("/") && !DESTRUCTIVE.has(form.action) && !forms.has(form.action)) {
          forms.set(form.action, form.fields);
        }
      }
    }
    expect([...forms.keys()]).toEqual(
      expect.arrayContaining([
        "/setup/consent",
        "/setup/schedule",
        "/setup/template",
        "/setup/enterprises",
        "/dashboard/test",
      ]),
    );
    const entries = [...forms.entries()].filter(([, fields]) => Object.keys(fields).length > 0);
    const mutation = fc
      .constantFrom(...entries)
      .chain(([action, fields]) =>
        fc.tuple(
          fc.constant(action),
          fc.constant(fields),
          fc.uniqueArray(fc.constantFrom(...Object.keys(fields)), { minLength: 1, maxLength: 2 }),
          fc.array(hostileValue, { minLength: 2, maxLength: 2 }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(mutation, async ([action, fields, targets, values]) => {
        const changed = { ...fields };
        targets.forEach((name, i) => {
          changed[name] = values[i] ?? "";
        });
        const { body, headers } = encode(changed, shop.csrf, "urlencoded");
        const answer = await send(world.t.app, shop.client, action, { method: "POST", body, headers });
        expectPageAnswer(answer, `POST ${action} ${JSON.stringify(changed).slice(0, 400)}`);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it("answers the sign-in form (before any session) with a page, a redirect or a clear error", async () => {
    const anonymous = new Client(world);
    const form = await anonymous.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    const csrf = csrfOf(form);
    const instance = fc.oneof(fc.constant(world.ofnUrl), nastyString(100), fc.webUrl());
    const key = fc.oneof(fc.stringMatching(/^[0-9a-f]{48}$/), nastyString(100));
    await fc.assert(
      fc.asyncProperty(instance, key, encoding, async (chosen, ofnKey, how) => {
        const { body, headers } = encode({ instance: chosen, ofn_key: ofnKey }, csrf, how);
        const answer = await send(world.t.app, anonymous, "/setup/key", { method: "POST", body, headers });
        expectPageAnswer(answer, `POST /setup/key ${JSON.stringify([chosen, ofnKey])}`);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it("answers the destructive forms with random extra fields, each on a fresh shop", async () => {
    const routes = paths.filter((p) => DESTRUCTIVE.has(p));
    expect(routes).toEqual(["/dashboard/delete", "/dashboard/disconnect", "/session/logout"]);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), formFields(names), encoding, async (path, fields, how) => {
        const fresh = await signedInShop();
        const { body, headers } = encode(fields, fresh.csrf, how);
        expectPageAnswer(
          await send(world.t.app, fresh.client, path, { method: "POST", body, headers }),
          `POST ${path}`,
        );
      }),
      { numRuns: 9 },
    );
  }, 60_000);

  it("answers every page's query string and path parameters with a page, a redirect or a clear error", async () => {
    const routes = routesOf(world.t.app, "GET", ["/setup", "/dashboard", "/lang", "/static"]).concat("/");
    const query = fc.dictionary(
      fc.oneof(fc.constantFrom("instance", "provider", "from", "error", "signin", "notice"), nastyString(10)),
      fc.oneof(nastyString(60), fc.constantFrom("dashboard", "mailchimp", "brevo", "1", "instance")),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        pathSegment,
        query,
        nastyString(80),
        async (route, value, q, referer) => {
          // Event streams stay open while a run is active: only unknown ids are asked for here.
          const path = route.replace(/:[A-Za-z]+/g, value);
          const search = new URLSearchParams(wellFormed(q)).toString();
          const headers: Record<string, string> = /^[\x20-\x7e]*$/.test(referer) ? { referer } : {};
          const answer = await send(world.t.app, shop.client, `${path}${search ? `?${search}` : ""}`, {
            method: "GET",
            headers,
          });
          expectPageAnswer(answer, `GET ${path}?${search}`);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});
