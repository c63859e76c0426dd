import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, campaigns, shops, syncRuns } from "../../src/db/schema/index.js";
import { fillShop } from "../admin/fill-shop.js";
import { insertShop } from "../admin/support.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { hex } from "../support/ids.js";
import { ADMIN_TOKEN, type ApiError, type Call, call, newIp } from "./support.js";

const OFN = "https://openfoodnetwork.org.uk";
let t: TestApp;
let a: { shopId: string; ofnApiKey: string };
let b: { shopId: string; ofnApiKey: string };

beforeAll(async () => {
  t = await createTestApp({
    ADMIN_TOKEN,
    TRUST_PROXY: "true",
    OFN_INSTANCES: `${OFN},https://coopcircuits.fr`,
  });
  a = await insertShop(t, { ofnInstance: OFN });
  b = await insertShop(t, { ofnInstance: OFN });
  await fillShop(t.database.db, a.shopId);
  await fillShop(t.database.db, b.shopId);
});
afterAll(() => t.close());

const asShop = (shop: { ofnApiKey: string }, path: string, options: Omit<Call, "token" | "instance"> = {}) =>
  call(t, path, { instance: OFN, ...options, token: shop.ofnApiKey });
const runsOf = (shopId: string) => t.database.db.select().from(syncRuns).where(eq(syncRuns.shopId, shopId));

describe("shop key authentication", () => {
  it("finds the shop from its own OFN key and instance", async () => {
    const me = await asShop(a, "/api/v1/me");
    expect(me.status).toBe(200);
    const body = (await me.json()) as { id: string; ofnKeyLast4: string };
    expect(body.id).toBe(a.shopId);
    expect(body.ofnKeyLast4).toBe(a.ofnApiKey.slice(-4));
    expect(JSON.stringify(body)).not.toContain(a.ofnApiKey);
    // Same key with surrounding space or upper case, and the instance with a trailing slash.
    const loose = await call(t, "/api/v1/me", { token: a.ofnApiKey.toUpperCase(), instance: `${OFN}/` });
    expect(loose.status).toBe(200);
  });

  it("refuses a wrong key, the right key on another instance, or a key without its instance", async () => {
    const ip = newIp();
    expect((await call(t, "/api/v1/me", { token: hex(48), instance: OFN, ip })).status).toBe(401);
    expect(
      (await call(t, "/api/v1/me", { token: a.ofnApiKey, instance: "https://coopcircuits.fr", ip })).status,
    ).toBe(401);
    expect(
      (await call(t, "/api/v1/me", { token: a.ofnApiKey, instance: "https://evil.example", ip })).status,
    ).toBe(401);
    const noInstance = await call(t, "/api/v1/me", { token: a.ofnApiKey, ip });
    expect(noInstance.status).toBe(401);
    expect(((await noInstance.json()) as ApiError).error.message).toContain("X-OFN-Instance");
  });

  it("never opens an operator endpoint with a shop key", async () => {
    expect((await asShop(a, "/api/v1/shops")).status).toBe(403);
    expect((await asShop(a, `/api/v1/shops/${a.shopId}/pause`, { method: "POST" })).status).toBe(403);
    expect((await asShop(a, `/api/v1/shops/${a.shopId}`, { method: "DELETE" })).status).toBe(403);
    const [row] = await t.database.db.select().from(shops).where(eq(shops.id, a.shopId));
    expect(row?.status).toBe("active");
  });

  it("caps shop-key requests per address", async () => {
    const ip = newIp();
    for (let i = 0; i < 120; i++) expect((await asShop(a, "/api/v1/me", { ip })).status).toBe(200);
    const capped = await asShop(a, "/api/v1/me", { ip });
    expect(capped.status).toBe(429);
    expect(capped.headers.get("retry-after")).not.toBeNull();
    expect((await asShop(a, "/api/v1/me", { ip: newIp() })).status).toBe(200);
  });

  it("makes an address wait after 10 wrong keys", async () => {
    const ip = newIp();
    for (let i = 0; i < 10; i++)
      expect((await call(t, "/api/v1/me", { token: hex(48), instance: OFN, ip })).status).toBe(401);
    expect((await asShop(a, "/api/v1/me", { ip })).status).toBe(429);
  });
});

describe("a shop reaches only itself", () => {
  it("reads and changes its own data", async () => {
    expect((await asShop(a, `/api/v1/shops/${a.shopId}`)).status).toBe(200);
    const runs = (await (await asShop(a, `/api/v1/shops/${a.shopId}/runs`)).json()) as {
      items: Array<{ id: string }>;
    };
    expect(runs.items).toHaveLength(1);
    expect((await asShop(a, `/api/v1/shops/${a.shopId}/runs/${runs.items[0]!.id}`)).status).toBe(200);
    expect((await asShop(a, `/api/v1/shops/${a.shopId}/campaigns`)).status).toBe(200);
    expect((await asShop(a, `/api/v1/shops/${a.shopId}/settings`)).status).toBe(200);
    const patch = await asShop(a, `/api/v1/shops/${a.shopId}/settings`, {
      method: "PATCH",
      body: { campaigns: { enabled: false } },
    });
    expect(patch.status).toBe(200);
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.shopId, a.shopId), eq(auditLog.action, "settings.updated")));
    expect(audit.map((e) => [e.actor, e.detail])).toEqual([["shop", { fields: ["campaigns.enabled"] }]]);
  });

  it("answers 404 for every one of another shop's ids, and changes nothing there", async () => {
    const [bRun] = await runsOf(b.shopId);
    const [bCampaign] = await t.database.db.select().from(campaigns).where(eq(campaigns.shopId, b.shopId));
    await t.database.db.update(campaigns).set({ status: "failed" }).where(eq(campaigns.id, bCampaign!.id));
    const attempts: Array<[string, Omit<Call, "token" | "instance">]> = [
      [`/api/v1/shops/${b.shopId}`, {}],
      [`/api/v1/shops/${b.shopId}/runs`, {}],
      [`/api/v1/shops/${b.shopId}/runs/${bRun!.id}`, {}],
      [`/api/v1/shops/${a.shopId}/runs/${bRun!.id}`, {}],
      [`/api/v1/shops/${b.shopId}/campaigns`, {}],
      [`/api/v1/shops/${b.shopId}/campaigns/${bCampaign!.id}/retry`, { method: "POST" }],
      [`/api/v1/shops/${a.shopId}/campaigns/${bCampaign!.id}/retry`, { method: "POST" }],
      [`/api/v1/shops/${b.shopId}/deliveries`, {}],
      [`/api/v1/shops/${b.shopId}/settings`, {}],
      [`/api/v1/shops/${b.shopId}/settings`, { method: "PATCH", body: { campaigns: { enabled: false } } }],
      [`/api/v1/shops/${b.shopId}/sync`, { method: "POST" }],
    ];
    for (const [path, options] of attempts) {
      const res = await asShop(a, path, options);
      expect(res.status, `${options.method ?? "GET"} ${path}`).toBe(404);
      expect(((await res.json()) as ApiError).error.code).toBe("NOT_FOUND");
    }
    expect(await runsOf(b.shopId)).toHaveLength(1);
    const [after] = await t.database.db.select().from(campaigns).where(eq(campaigns.id, bCampaign!.id));
    expect(after?.status).toBe("failed");
    const [bShop] = await t.database.db.select().from(shops).where(eq(shops.id, b.shopId));
    expect(bShop?.settings).toEqual({});
  });

  it("queues its own sync as a manual run, audited as the shop", async () => {
    const { shopId, ofnApiKey } = await insertShop(t, { ofnInstance: OFN });
    const res = await asShop({ ofnApiKey }, `/api/v1/shops/${shopId}/sync`, { method: "POST" });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { run: { trigger: string } }).run.trigger).toBe("manual");
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.shopId, shopId), eq(auditLog.action, "sync.requested")));
    expect(audit[0]?.actor).toBe("shop");
  });
});
