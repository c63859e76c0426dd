/** CSRF, session cookies, expiry, sign-out, and one shop never reaching another's data. */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns, sessions, shops, syncRuns } from "../../src/db/schema/index.js";
import { hashSessionToken } from "../../src/web/session.js";
import { Client, createWebWorld, csrfOf, seedShop, textOf, type WebWorld } from "./harness.js";

const SESSION = "__Host-bridge_session";

describe("page security", () => {
  let world: WebWorld;
  beforeAll(async () => {
    world = await createWebWorld();
  });
  afterAll(() => world.close());

  async function signIn(lang: "en" | "fr" = "en") {
    const seeded = seedShop(world, 1);
    const client = new Client(world, lang);
    const form = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    const res = await client.post(
      "/setup/key",
      { instance: world.ofnUrl, ofn_key: seeded.ofnKey },
      { from: form },
    );
    expect(res.status).toBe(303);
    const [shop] = await world.t.deps.database.db
      .select()
      .from(shops)
      .where(eq(shops.ofnApiKeyLast4, seeded.ofnKey.slice(-4)));
    return { client, seeded, shopId: shop!.id, setCookies: res.setCookies };
  }

  it("sets an HttpOnly, SameSite=Lax, Secure, host-only session cookie and stores only its hash", async () => {
    const { client, setCookies, shopId } = await signIn();
    const line = setCookies.find((cookie) => cookie.startsWith(`${SESSION}=`));
    expect(line).toBeDefined();
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; Path=\//);
    expect(line).not.toMatch(/Domain=/);
    const token = client.cookies.get(SESSION)!;
    const rows = await world.t.deps.database.db.select().from(sessions).where(eq(sessions.shopId, shopId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.idHash).toBe(hashSessionToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("leaves Secure off on a plain-http bridge without a TLS proxy", async () => {
    const local = await createWebWorld({ PUBLIC_URL: "http://localhost:3000", TRUST_PROXY: "false" });
    try {
      const seeded = seedShop(local, 1);
      const client = new Client(local);
      const form = await client.get(`/setup/key?instance=${encodeURIComponent(local.ofnUrl)}`);
      const res = await client.post(
        "/setup/key",
        { instance: local.ofnUrl, ofn_key: seeded.ofnKey },
        { from: form },
      );
      const line = res.setCookies.find((cookie) => cookie.startsWith("bridge_session="));
      expect(line).toMatch(/; HttpOnly/);
      expect(line).toMatch(/; SameSite=Lax/);
      expect(line).not.toMatch(/Secure/);
    } finally {
      await local.close();
    }
  });

  it("refuses a form without the token, with a wrong one, or from another site (403)", async () => {
    const { client } = await signIn();
    const page = await client.get("/setup/consent");
    const fields = { consent: "subscribed", require_tag: "", gone: "keep" };
    const missing = await client.post("/setup/consent", fields, { csrf: null });
    expect(missing.status).toBe(403);
    expect(textOf(missing.html)).toContain("This form has expired or was already used.");
    const wrong = await client.post("/setup/consent", fields, { csrf: `${csrfOf(page).slice(0, -2)}xx` });
    expect(wrong.status).toBe(403);
    const crossSite = await client.post("/setup/consent", fields, {
      from: page,
      headers: { origin: "https://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    expect(textOf(crossSite.html)).toContain("This form was sent from another website");
    const fetchSite = await client.post("/setup/consent", fields, {
      from: page,
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(fetchSite.status).toBe(403);
    const fr = new Client(world, "fr");
    const frMissing = await fr.post("/setup/key", { instance: world.ofnUrl, ofn_key: "x" }, { csrf: null });
    expect(frMissing.status).toBe(403);
    expect(textOf(frMissing.html)).toContain("Ce formulaire a expiré ou a déjà été utilisé.");
    // The real form, same origin, goes through.
    const ok = await client.post("/setup/consent", fields, {
      from: page,
      headers: { origin: "https://bridge.test", "sec-fetch-site": "same-origin" },
    });
    expect(ok.status).toBe(303);
    // Dashboard actions are guarded the same way.
    expect((await client.post("/dashboard/sync", {}, { csrf: null })).status).toBe(403);
    expect((await client.post("/dashboard/delete", {}, { csrf: "forged" })).status).toBe(403);
  });

  it("ends a session after 8 idle hours, at 7 days whatever happens, and on sign-out", async () => {
    const db = world.t.deps.database.db;
    const idle = await signIn();
    const idleHash = hashSessionToken(idle.client.cookies.get(SESSION)!);
    expect((await idle.client.get("/dashboard")).status).toBe(200);
    await db
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.idHash, idleHash));
    const expired = await idle.client.get("/dashboard");
    expect(expired.status).toBe(303);
    expect(expired.location).toBe("/setup/instance?signin=1");
    expect(await db.select().from(sessions).where(eq(sessions.idHash, idleHash))).toHaveLength(0);

    const old = await signIn();
    const oldHash = hashSessionToken(old.client.cookies.get(SESSION)!);
    await db
      .update(sessions)
      .set({
        createdAt: sql`now() - interval '7 days 1 minute'`,
        lastSeenAt: sql`now() - interval '2 minutes'`,
      })
      .where(eq(sessions.idHash, oldHash));
    expect((await old.client.get("/dashboard")).status).toBe(303);

    const active = await signIn();
    const activeHash = hashSessionToken(active.client.cookies.get(SESSION)!);
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '2 hours'`, expiresAt: sql`now() + interval '6 hours'` })
      .where(eq(sessions.idHash, activeHash));
    expect((await active.client.get("/dashboard")).status).toBe(200);
    const [slid] = await db.select().from(sessions).where(eq(sessions.idHash, activeHash));
    expect(slid!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7.9 * 3600_000);

    const dashboard = await active.client.get("/dashboard");
    const out = await active.client.post("/session/logout", {}, { from: dashboard });
    expect(out.status).toBe(303);
    expect(out.location).toBe("/?notice=signedOut");
    expect(out.setCookies.some((line) => line.startsWith(`${SESSION}=;`) && /Max-Age=0/i.test(line))).toBe(
      true,
    );
    expect(await db.select().from(sessions).where(eq(sessions.idHash, activeHash))).toHaveLength(0);
    expect(textOf((await active.client.get(out.location!)).html)).toContain("You are signed out.");
  });

  it("answers 404 when shop A asks for shop B's sync runs or campaigns", async () => {
    const db = world.t.deps.database.db;
    const a = await signIn();
    const b = await signIn();
    const [runB] = await db
      .insert(syncRuns)
      .values({ shopId: b.shopId, status: "succeeded", trigger: "manual" })
      .returning();
    const [campaignB] = await db
      .insert(campaigns)
      .values({
        shopId: b.shopId,
        orderCycleId: 7,
        openedAt: new Date(),
        orderCycle: { name: "B's cycle" },
        status: "failed",
        errorMessage: "B only",
      })
      .returning();

    expect((await b.client.get(`/dashboard/sync/${runB!.id}`)).status).toBe(200);
    const run = await a.client.get(`/dashboard/sync/${runB!.id}`);
    expect(run.status).toBe(404);
    expect(textOf(run.html)).toContain("Page not found");
    expect((await a.client.get(`/dashboard/sync/${runB!.id}/events`)).status).toBe(404);
    expect((await a.client.get("/dashboard/sync/not-a-uuid")).status).toBe(404);

    const dashboardA = await a.client.get("/dashboard");
    expect(dashboardA.html).not.toContain("B&#39;s cycle");
    const retry = await a.client.post(
      `/dashboard/campaigns/${campaignB!.id}/retry`,
      {},
      { from: dashboardA },
    );
    expect(retry.status).toBe(404);
    expect((await a.client.post("/dashboard/campaigns/nope/retry", {}, { from: dashboardA })).status).toBe(
      404,
    );
    const [untouched] = await db.select().from(campaigns).where(eq(campaigns.id, campaignB!.id));
    expect(untouched!.status).toBe("failed");

    // A form cannot attach another user's OFN enterprise either: only the key's own are stored.
    const enterprises = await a.client.get("/setup/enterprises");
    const own = String(a.seeded.enterprises[0]!.id);
    const foreign = String(b.seeded.enterprises[0]!.id);
    await a.client.submit("/setup/enterprises", { sync: [own, foreign], announce: [foreign] }, enterprises);
    const overview = await a.client.get("/dashboard");
    expect(textOf(overview.html)).toContain(a.seeded.enterprises[0]!.name);
    expect(textOf(overview.html)).not.toContain(b.seeded.enterprises[0]!.name);
  });

  it("sends a visitor without a session to sign in, from every dashboard and setup page", async () => {
    const stranger = new Client(world);
    for (const path of [
      "/dashboard",
      "/dashboard/delete",
      "/setup/enterprises",
      "/setup/template",
      "/setup/webhook",
    ]) {
      const res = await stranger.get(path);
      expect(res.status, path).toBe(303);
      expect(res.location).toBe("/setup/instance?signin=1");
    }
  });
});
