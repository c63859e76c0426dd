/**
 * Session fixation: a session id the browser already carries (planted by someone else, made up, or
 * another person's real one) is never adopted at sign-in. Signing in always issues a new id; the
 * planted one opens nothing afterwards, neither for the shop pages nor for the admin; an id is read
 * only from the bridge's own cookie, never from another cookie name or the URL.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions } from "../../src/db/schema/index.js";
import { hashSessionToken } from "../../src/web/session.js";
import { ADMIN_TOKEN, Browser, signInAdmin } from "../admin/support.js";
import { Client, createWebWorld, seedShop, type WebWorld } from "../web/harness.js";

const SHOP_COOKIE = "__Host-bridge_session";
const ADMIN_COOKIE = "__Host-bridge_admin";

let world: WebWorld;
beforeAll(async () => {
  world = await createWebWorld({ ADMIN_TOKEN });
});
afterAll(() => world.close());

/** Signs in through the key form in `client`'s browser; returns the session id it was given. */
async function signIn(client: Client, ofnKey: string): Promise<string> {
  const form = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
  const res = await client.post("/setup/key", { instance: world.ofnUrl, ofn_key: ofnKey }, { from: form });
  expect(res.status).toBe(303);
  // A planted cookie is first cleared (an empty value), then the new one is set.
  const values = res.setCookies
    .filter((cookie) => cookie.startsWith(`${SHOP_COOKIE}=`))
    .map((cookie) => cookie.split(";")[0]!.slice(SHOP_COOKIE.length + 1));
  const issued = values.at(-1);
  expect(issued, "a new session cookie is set at sign-in").toBeTruthy();
  return issued!;
}

/** What a browser holding only `cookie` sees at /dashboard. */
async function dashboardWith(cookie: string, path = "/dashboard") {
  const res = await world.t.app.request(path, { headers: cookie ? { cookie } : {} });
  return { status: res.status, location: res.headers.get("location") };
}

const sessionRows = (token: string) =>
  world.t.deps.database.db
    .select()
    .from(sessions)
    .where(eq(sessions.idHash, hashSessionToken(token)));

describe("shop sessions", () => {
  it("never adopts a made-up session id planted before sign-in", async () => {
    const planted = randomBytes(32).toString("base64url");
    const victim = new Client(world);
    victim.cookies.set(SHOP_COOKIE, planted);
    const issued = await signIn(victim, seedShop(world, 1).ofnKey);
    expect(issued).not.toBe(planted);
    expect(await sessionRows(planted)).toHaveLength(0);
    expect(await dashboardWith(`${SHOP_COOKIE}=${planted}`)).toEqual({
      status: 303,
      location: "/setup/instance?signin=1",
    });
    expect((await dashboardWith(`${SHOP_COOKIE}=${issued}`)).status).toBe(200);
  });

  it("never binds an attacker's own live session to the victim's shop", async () => {
    // The attacker signs into a shop of their own and plants that cookie in the victim's browser.
    const attacker = new Client(world);
    const attackerToken = await signIn(attacker, seedShop(world, 1).ofnKey);
    const [attackerRow] = await sessionRows(attackerToken);
    const victim = new Client(world);
    victim.cookies.set(SHOP_COOKIE, attackerToken);
    const victimSeed = seedShop(world, 1);
    const victimToken = await signIn(victim, victimSeed.ofnKey);
    expect(victimToken).not.toBe(attackerToken);
    const [victimRow] = await sessionRows(victimToken);
    expect(victimRow?.shopId).toBeDefined();
    expect(victimRow?.shopId).not.toBe(attackerRow?.shopId);
    // The planted session ended at the victim's sign-in: the attacker's token opens nothing now.
    expect(await sessionRows(attackerToken)).toHaveLength(0);
    expect((await dashboardWith(`${SHOP_COOKIE}=${attackerToken}`)).status).toBe(303);
    const page = await victim.get("/dashboard");
    expect(page.status).toBe(200);
    expect(page.html).toContain(victimSeed.enterprises[0]!.name);
  });

  it("reads the session only from its own cookie: not another cookie name, not the URL", async () => {
    const token = await signIn(new Client(world), seedShop(world, 1).ofnKey);
    expect((await dashboardWith(`${SHOP_COOKIE}=${token}`)).status).toBe(200);
    for (const cookie of [`bridge_session=${token}`, `__Host-bridge_admin=${token}`, `session=${token}`]) {
      expect((await dashboardWith(cookie)).status, cookie).toBe(303);
    }
    for (const query of [`session=${token}`, `${SHOP_COOKIE}=${token}`, `bridge_session=${token}`]) {
      expect((await dashboardWith("", `/dashboard?${query}`)).status, query).toBe(303);
    }
  });
});

describe("admin sessions", () => {
  it("never adopts a planted admin session id, and a shop session never becomes one", async () => {
    const planted = randomBytes(32).toString("base64url");
    const operator = new Browser(world.t.app);
    operator.cookies.set(ADMIN_COOKIE, planted);
    await signInAdmin(operator);
    const issued = operator.cookies.get(ADMIN_COOKIE);
    expect(issued).toBeDefined();
    expect(issued).not.toBe(planted);
    const asPlanted = await world.t.app.request("/admin", {
      headers: { cookie: `${ADMIN_COOKIE}=${planted}` },
    });
    expect(asPlanted.status).toBe(303);
    expect(asPlanted.headers.get("location")).toBe("/admin/login");
    const asIssued = await world.t.app.request("/admin", {
      headers: { cookie: `${ADMIN_COOKIE}=${issued}` },
    });
    expect(asIssued.status).toBe(200);

    // A shop's session id under the admin cookie name opens nothing.
    const shopToken = await signIn(new Client(world), seedShop(world, 1).ofnKey);
    const shopAsAdmin = await world.t.app.request("/admin", {
      headers: { cookie: `${ADMIN_COOKIE}=${shopToken}` },
    });
    expect(shopAsAdmin.status).toBe(303);
  });
});
