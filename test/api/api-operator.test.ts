import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, type shops } from "../../src/db/schema/index.js";
import { fillShop } from "../admin/fill-shop.js";
import { insertShop } from "../admin/support.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { uniqueId } from "../support/ids.js";
import { ADMIN_TOKEN, type ApiError, asOperator, call, documentValidator, newIp } from "./support.js";

let t: TestApp;
let validator: Awaited<ReturnType<typeof documentValidator>>;
beforeAll(async () => {
  t = await createTestApp({ ADMIN_TOKEN, TRUST_PROXY: "true" });
  validator = await documentValidator(t);
});
afterAll(() => t.close());

const db = () => t.database.db;
const shop = (values: Partial<typeof shops.$inferInsert> = {}) =>
  insertShop(t, { ofnInstance: "https://ofn.test", ...values });

describe("operator authentication", () => {
  it("needs the admin token, answering the shared error shape otherwise", async () => {
    const none = await call(t, "/api/v1/shops", { ip: newIp() });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const body = (await none.json()) as ApiError;
    expect(body.error.code).toBe("UNAUTHORIZED");
    expect(body.error.requestId).toBe(none.headers.get("x-request-id"));
    expect(validator.check("Error", body)).toEqual([]);
    expect((await call(t, "/api/v1/shops", { token: "x".repeat(40), ip: newIp() })).status).toBe(401);
    expect((await asOperator(t, "/api/v1/shops")).status).toBe(200);
  });

  it("makes an address wait after 10 wrong tokens, even with the right one", async () => {
    const ip = newIp();
    for (let i = 0; i < 10; i++)
      expect((await call(t, "/api/v1/shops", { token: `wrong-${i}`, ip })).status).toBe(401);
    const blocked = await asOperator(t, "/api/v1/shops", { ip });
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as ApiError).error.code).toBe("RATE_LIMITED");
    expect((await asOperator(t, "/api/v1/shops", { ip: newIp() })).status).toBe(200);
  });

  it("does not exist without ADMIN_TOKEN", async () => {
    const off = await createTestApp();
    try {
      const res = await call(off, "/api/v1/shops", { token: "x".repeat(40) });
      expect(res.status).toBe(404);
      expect(((await res.json()) as ApiError).error.message).toContain("ADMIN_TOKEN");
    } finally {
      await off.close();
    }
  });
});

describe("shops", () => {
  it("lists shops with their health, searchable and paginated, in the documented shape", async () => {
    const tag = `api-${uniqueId()}`;
    for (let i = 0; i < 3; i++) {
      const { shopId } = await shop({ name: `${tag}-${i}` });
      await fillShop(db(), shopId);
    }
    const res = await asOperator(t, `/api/v1/shops?q=${tag}&pageSize=2&page=2`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as {
      items: Array<{ name: string; pendingCampaigns: number }>;
      total: number;
    };
    expect(validator.check("ShopList", body)).toEqual([]);
    expect(body.total).toBe(3);
    expect(body.items.map((s) => s.name)).toEqual([`${tag}-2`]);
    expect(body.items[0]?.pendingCampaigns).toBe(1);
    const bad = await asOperator(t, "/api/v1/shops?pageSize=1000&status=gone");
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as ApiError).error.details?.fields?.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(["pageSize", "status"]));
  });

  it("never sends a key back: the last 4 characters only", async () => {
    const { shopId, ofnApiKey } = await shop();
    await fillShop(db(), shopId);
    const text = await (await asOperator(t, `/api/v1/shops/${shopId}`)).text();
    expect(text).toContain(`"ofnKeyLast4":"${ofnApiKey.slice(-4)}"`);
    expect(text).not.toContain(ofnApiKey);
    expect(text).not.toContain("v1.");
    expect(validator.check("Shop", JSON.parse(text))).toEqual([]);
  });

  it("pauses, resumes, syncs and deletes a shop, each written to the audit log as admin", async () => {
    const { shopId } = await shop();
    const pause = await asOperator(t, `/api/v1/shops/${shopId}/pause`, { method: "POST" });
    expect(await pause.json()).toEqual({ id: shopId, status: "paused", changed: true });
    expect((await asOperator(t, `/api/v1/shops/${shopId}/sync`, { method: "POST" })).status).toBe(409);
    const resume = await asOperator(t, `/api/v1/shops/${shopId}/resume`, { method: "POST" });
    expect(await resume.json()).toEqual({ id: shopId, status: "active", changed: true });

    const sync = await asOperator(t, `/api/v1/shops/${shopId}/sync`, { method: "POST" });
    expect(sync.status).toBe(202);
    const queued = (await sync.json()) as {
      run: { id: string; status: string; trigger: string };
      created: boolean;
    };
    expect(validator.check("SyncRequested", queued)).toEqual([]);
    expect(queued).toMatchObject({ created: true, run: { status: "queued", trigger: "admin" } });
    const again = (await (
      await asOperator(t, `/api/v1/shops/${shopId}/sync`, { method: "POST" })
    ).json()) as typeof queued;
    expect(again).toMatchObject({ created: false, run: { id: queued.run.id } });

    const actions = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.shopId, shopId), eq(auditLog.actor, "admin")));
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(["shop.paused", "shop.resumed", "sync.requested"]),
    );

    const deleted = await asOperator(t, `/api/v1/shops/${shopId}`, { method: "DELETE" });
    expect(await deleted.json()).toEqual({ id: shopId, deleted: true });
    expect((await asOperator(t, `/api/v1/shops/${shopId}`)).status).toBe(404);
    expect((await asOperator(t, `/api/v1/shops/${shopId}`, { method: "DELETE" })).status).toBe(404);
  });
});
