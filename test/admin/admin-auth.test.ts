import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_SESSION_IDLE_MS, createAdminSession, findAdminSession } from "../../src/admin/sessions.js";
import { auditLog, sessions, shops } from "../../src/db/schema/index.js";
import { hashSessionToken } from "../../src/web/session.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { ADMIN_TOKEN, Browser, csrfOf, insertShop, signInAdmin } from "./support.js";

describe("admin without ADMIN_TOKEN", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("does not exist", async () => {
    const browser = new Browser(t.app);
    expect((await browser.request("/admin")).status).toBe(404);
    expect((await browser.request("/admin/login")).status).toBe(404);
    expect((await browser.post("/admin/login", { token: "x".repeat(30) })).status).toBe(404);
    expect((await browser.request("/admin/audit")).status).toBe(404);
  });
});

describe("admin sign-in", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_TOKEN, TRUST_PROXY: "true" });
  });
  afterAll(() => t.close());

  it("sends a browser without a session to the sign-in form", async () => {
    const res = await new Browser(t.app).request("/admin");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login");
  });

  it("refuses a wrong token with 401 and no session, accepts the right one with its own cookie", async () => {
    const browser = new Browser(t.app);
    const form = await browser.request("/admin/login");
    const csrf = csrfOf(await form.text());
    const wrong = await browser.post("/admin/login", { _csrf: csrf, token: `${ADMIN_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("This is not the admin token");
    expect(browser.cookies.has("__Host-bridge_admin")).toBe(false);

    const right = await browser.post("/admin/login", { _csrf: csrf, token: ADMIN_TOKEN });
    expect(right.status).toBe(303);
    const cookie = right.headers.getSetCookie().find((line) => line.startsWith("__Host-bridge_admin="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/Max-Age=28800/);
    expect((await browser.request("/admin")).status).toBe(200);
    const [row] = await t.database.db.select().from(sessions).where(eq(sessions.kind, "admin")).limit(1);
    expect(row?.shopId).toBeNull();
    expect(row?.idHash).not.toBe(browser.cookies.get("__Host-bridge_admin"));
  });

  it("refuses the sign-in form without its CSRF token or from another site", async () => {
    const browser = new Browser(t.app);
    const csrf = csrfOf(await (await browser.request("/admin/login")).text());
    expect((await browser.post("/admin/login", { token: ADMIN_TOKEN })).status).toBe(403);
    const crossSite = await browser.post(
      "/admin/login",
      { _csrf: csrf, token: ADMIN_TOKEN },
      { origin: "https://evil.example" },
    );
    expect(crossSite.status).toBe(403);
    expect(browser.cookies.has("__Host-bridge_admin")).toBe(false);
  });

  it("limits sign-in attempts per address, then lets another address in", async () => {
    const attacker = new Browser(t.app);
    const csrf = csrfOf(await (await attacker.request("/admin/login")).text());
    for (let i = 0; i < 10; i++) {
      expect(
        (await attacker.post("/admin/login", { _csrf: csrf, token: `guess-${i}-${"x".repeat(24)}` })).status,
      ).toBe(401);
    }
    const blocked = await attacker.post("/admin/login", { _csrf: csrf, token: ADMIN_TOKEN });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(attacker.cookies.has("__Host-bridge_admin")).toBe(false);
    await signInAdmin(new Browser(t.app));
  });

  it("does not take a shop's session as an admin session", async () => {
    const { shopId } = await insertShop(t, { ofnInstance: "https://ofn.test" });
    // A shop session row exactly as the shop pages store it: the SHA-256 of the cookie token.
    const token = randomBytes(32).toString("base64url");
    await t.database.db.insert(sessions).values({
      idHash: hashSessionToken(token),
      kind: "shop",
      shopId,
      csrfToken: "c".repeat(43),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const holder = new Browser(t.app);
    holder.cookies.set("__Host-bridge_admin", token);
    const page = await holder.request("/admin");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/admin/login");
  });

  it("checks the session's CSRF token on every admin form", async () => {
    const { shopId } = await insertShop(t, { ofnInstance: "https://ofn.test" });
    const browser = new Browser(t.app);
    const csrf = await signInAdmin(browser);
    expect((await browser.post(`/admin/shops/${shopId}/pause`, {})).status).toBe(403);
    expect((await browser.post(`/admin/shops/${shopId}/pause`, { _csrf: `${csrf}x` })).status).toBe(403);
    const crossSite = await browser.post(
      `/admin/shops/${shopId}/pause`,
      { _csrf: csrf },
      { "sec-fetch-site": "cross-site" },
    );
    expect(crossSite.status).toBe(403);
    expect((await browser.post(`/admin/shops/${shopId}/sync`, {})).status).toBe(403);
    expect((await browser.post(`/admin/shops/${shopId}/delete`, { confirm: "yes" })).status).toBe(403);
    expect((await browser.post("/admin/logout", {})).status).toBe(403);
    const [shop] = await t.database.db.select().from(shops).where(eq(shops.id, shopId));
    expect(shop?.status).toBe("active");
    const ok = await browser.post(`/admin/shops/${shopId}/pause`, { _csrf: csrf });
    expect(ok.status).toBe(303);
  });

  it("signs out: the session is gone from the database and the admin asks for the token again", async () => {
    const browser = new Browser(t.app);
    const csrf = await signInAdmin(browser);
    const token = browser.cookies.get("__Host-bridge_admin")!;
    expect((await browser.post("/admin/logout", { _csrf: csrf })).status).toBe(303);
    const again = new Browser(t.app);
    again.cookies.set("__Host-bridge_admin", token);
    expect((await again.request("/admin")).status).toBe(303);
  });

  it("records each sign-in in the audit log", async () => {
    const before = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "admin.signed_in"), eq(auditLog.actor, "admin")));
    await signInAdmin(new Browser(t.app));
    const after = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "admin.signed_in"), eq(auditLog.actor, "admin")));
    expect(after.length).toBe(before.length + 1);
  });

  it("expires an admin session after 30 idle minutes", async () => {
    const db = t.database.db;
    const start = new Date();
    const { token } = await createAdminSession(db, start);
    expect(
      await findAdminSession(db, token, new Date(start.getTime() + ADMIN_SESSION_IDLE_MS - 60_000)),
    ).toBeDefined();
    const later = new Date(start.getTime() + 2 * ADMIN_SESSION_IDLE_MS);
    expect(await findAdminSession(db, token, later)).toBeUndefined();
  });
});
