/**
 * Cross-site request forgery on every state-changing route of the pages and the admin. The routes
 * come from the app's route table (every POST/PUT/PATCH/DELETE outside /api, /webhooks and
 * /internal), not from a list someone keeps: each is posted by a signed-in browser with forged
 * tokens, from another site, or with the token where a form cannot put it. Every forgery gets 403
 * and the localised error page, and the database is unchanged; the genuine post still passes.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns } from "../../src/db/schema/index.js";
import { ADMIN_TOKEN, Browser, insertShop, signInAdmin } from "../admin/support.js";
import { Client, createWebWorld, csrfOf, type WebWorld } from "../web/harness.js";
import { databaseSnapshot, type SignedInShop, signedInShop } from "./support.js";

let world: WebWorld;
let shop: SignedInShop & { campaignId: string };
let other: SignedInShop;
let admin: { browser: Browser; csrf: string };
let otherAdminCsrf: string;
let targetShopId: string;

beforeAll(async () => {
  world = await createWebWorld({ ADMIN_TOKEN });
  const signedIn = await signedInShop(world);
  other = await signedInShop(world);
  const [campaign] = await world.t.deps.database.db
    .insert(campaigns)
    .values({
      shopId: signedIn.shopId,
      orderCycleId: 5,
      openedAt: new Date(),
      orderCycle: { name: "C" },
      status: "failed",
    })
    .returning({ id: campaigns.id });
  shop = { ...signedIn, campaignId: campaign!.id };
  const browser = new Browser(world.t.app);
  admin = { browser, csrf: await signInAdmin(browser) };
  otherAdminCsrf = await signInAdmin(new Browser(world.t.app));
  targetShopId = (await insertShop(world.t, { ofnInstance: world.ofnUrl })).shopId;
}, 60_000);
afterAll(() => world.close());

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const unsafeRoutes = () => [
  ...new Map(
    world.t.app.routes
      .filter((r) => UNSAFE.has(r.method) && !/^\/(api|webhooks|internal)(\/|$)/.test(r.path))
      .map((r) => [`${r.method} ${r.path}`, { method: r.method, path: r.path }]),
  ).values(),
];

const isAdmin = (path: string) => path.startsWith("/admin");
const fill = (path: string) =>
  path
    .replace(":shopId", targetShopId)
    .replace(":id", shop.campaignId)
    .replace(/:[A-Za-z]+/g, "x");

interface Forgery {
  name: string;
  token: (genuine: string, path: string) => string | undefined;
  headers?: Record<string, string>;
  /** How the token travels when not as a form field. */
  carrier?: "text" | "query";
}

const FORGERIES: Forgery[] = [
  { name: "no token", token: () => undefined },
  { name: "a made-up token", token: () => randomBytes(32).toString("base64url") },
  { name: "the token cut short", token: (genuine) => genuine.slice(0, -1) },
  { name: "another session's token", token: (_g, path) => (isAdmin(path) ? otherAdminCsrf : other.csrf) },
  { name: "another site's Origin", token: (g) => g, headers: { origin: "https://evil.example" } },
  { name: "an opaque Origin", token: (g) => g, headers: { origin: "null" } },
  { name: "a cross-site fetch", token: (g) => g, headers: { "sec-fetch-site": "cross-site" } },
  { name: "a same-site (sibling domain) fetch", token: (g) => g, headers: { "sec-fetch-site": "same-site" } },
  { name: "the token in a text/plain body", token: (g) => g, carrier: "text" },
  { name: "the token in the query string", token: (g) => g, carrier: "query" },
];

function cookiesOf(path: string): string {
  const jar = isAdmin(path) ? admin.browser.cookies : shop.client.cookies;
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

async function post(
  method: string,
  path: string,
  token: string | undefined,
  options: Omit<Forgery, "name" | "token"> = {},
) {
  const fields = new URLSearchParams({ confirm: "yes", test_email: "x@example.org" });
  if (token !== undefined && !options.carrier) fields.set("_csrf", token);
  const type = options.carrier === "text" ? "text/plain" : "application/x-www-form-urlencoded";
  const body = options.carrier === "text" ? `_csrf=${token}\nconfirm=yes` : fields.toString();
  const url = options.carrier === "query" ? `${path}?_csrf=${encodeURIComponent(token ?? "")}` : path;
  const res = await world.t.app.request(url, {
    method,
    body,
    headers: {
      "content-type": type,
      cookie: cookiesOf(path),
      "x-forwarded-for": "198.51.100.200",
      ...options.headers,
    },
  });
  return { status: res.status, text: await res.text() };
}

describe("CSRF on every state-changing page and admin route", () => {
  it("finds the routes in the app's route table", () => {
    const paths = unsafeRoutes().map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/session/logout",
        "/setup/key",
        "/setup/template",
        "/dashboard/delete",
        "/dashboard/campaigns/:id/retry",
        "/admin/login",
        "/admin/shops/:shopId/delete",
      ]),
    );
    expect(paths.length).toBeGreaterThanOrEqual(20);
  });

  it("refuses every forgery with 403 and the error page, and changes nothing", async () => {
    const before = await databaseSnapshot(world);
    for (const route of unsafeRoutes()) {
      const path = fill(route.path);
      const genuine = isAdmin(path) ? admin.csrf : shop.csrf;
      for (const forgery of FORGERIES) {
        const res = await post(route.method, path, forgery.token(genuine, path), forgery);
        const label = `${route.method} ${route.path} with ${forgery.name}`;
        expect(res.status, `${label}: ${res.text.slice(0, 200)}`).toBe(403);
        expect(res.text, label).toContain('id="error-title"');
      }
    }
    expect(await databaseSnapshot(world)).toBe(before);
  }, 60_000);

  it("refuses the sign-in forms' forgeries before any session (double-submit cookie)", async () => {
    const before = await databaseSnapshot(world);
    for (const path of ["/setup/key", "/admin/login"]) {
      const visitor = new Client(world);
      const form = await visitor.get(
        path === "/setup/key" ? `/setup/key?instance=${encodeURIComponent(world.ofnUrl)}` : path,
      );
      const token = csrfOf(form);
      const cookie = [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      const attempts: Array<[string, Record<string, string>, string | undefined]> = [
        ["the token without its cookie", {}, token],
        ["the cookie with another token", { cookie }, randomBytes(32).toString("base64url")],
        ["the cookie without a token", { cookie }, undefined],
        ["both, from another site", { cookie, origin: "https://evil.example" }, token],
      ];
      for (const [name, headers, sent] of attempts) {
        const fields = new URLSearchParams({
          instance: world.ofnUrl,
          ofn_key: "a".repeat(48),
          token: ADMIN_TOKEN,
        });
        if (sent) fields.set("_csrf", sent);
        const res = await world.t.app.request(path, {
          method: "POST",
          body: fields.toString(),
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-forwarded-for": "198.51.100.201",
            ...headers,
          },
        });
        expect(res.status, `${path} with ${name}`).toBe(403);
        // A refused admin sign-in with the right ADMIN_TOKEN opens no session.
        expect(
          res.headers.getSetCookie().some((c) => /bridge_(session|admin)=[^;]/.test(c)),
          name,
        ).toBe(false);
      }
    }
    expect(await databaseSnapshot(world)).toBe(before);
  });

  it("lets the genuine form through on every route (the check refuses forgeries, not everything)", async () => {
    for (const route of unsafeRoutes()) {
      // Destructive routes end the session they run in: each gets its own.
      const ownShop = route.path.startsWith("/admin") ? undefined : await signedInShop(world);
      const ownAdmin = route.path.startsWith("/admin") ? new Browser(world.t.app) : undefined;
      const token = ownAdmin ? await signInAdmin(ownAdmin) : ownShop!.csrf;
      const jar = ownAdmin ? ownAdmin.cookies : ownShop!.client.cookies;
      const target = ownAdmin
        ? (await insertShop(world.t, { ofnInstance: world.ofnUrl })).shopId
        : ownShop!.shopId;
      const path = route.path.replace(":shopId", target).replace(":id", shop.campaignId);
      const res = await world.t.app.request(path, {
        method: route.method,
        body: new URLSearchParams({
          _csrf: token,
          confirm: "yes",
          token: ADMIN_TOKEN,
          test_email: "me@example.org",
        }).toString(),
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
          origin: "https://bridge.test",
          "sec-fetch-site": "same-origin",
          "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 200) + 2}`,
        },
      });
      expect(res.status, `${route.method} ${route.path}: ${(await res.text()).slice(0, 200)}`).not.toBe(403);
    }
  }, 60_000);
});
