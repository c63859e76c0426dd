import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { regenerateWebhookToken } from "../../src/campaigns/tokens.js";
import { auditLog, shops, syncRuns, webhookDeliveries } from "../../src/db/schema/index.js";
import { enqueueDueSyncs } from "../../src/jobs/scheduler.js";
import { claimSyncRun, enqueueSync } from "../../src/jobs/sync-queue.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { uniqueId } from "../support/ids.js";
import { fillShop, rowCounts } from "./fill-shop.js";
import { ADMIN_TOKEN, Browser, insertShop, signInAdmin } from "./support.js";

let t: TestApp;
let woke = 0;
let admin: Browser;
let csrf: string;

beforeAll(async () => {
  t = await createTestApp({ ADMIN_TOKEN, TRUST_PROXY: "true" });
  // The same deps, plus a wake hook to see that an admin sync wakes the workers.
  admin = new Browser(createApp({ ...t.deps, wake: () => woke++ }));
  csrf = await signInAdmin(admin);
});
afterAll(() => t.close());

const db = () => t.database.db;
const statusOf = async (shopId: string) =>
  (await db().select().from(shops).where(eq(shops.id, shopId)))[0]?.status;

describe("shop actions", () => {
  it("pauses a shop so neither the scheduler nor a worker syncs it, still records its webhooks, and resumes it", async () => {
    const { shopId } = await insertShop(t, {
      ofnInstance: "https://ofn.test",
      nextSyncAt: new Date(Date.now() - 60_000),
    });
    const paused = await admin.post(`/admin/shops/${shopId}/pause`, { _csrf: csrf });
    expect(paused.headers.get("location")).toBe(`/admin/shops/${shopId}?done=paused`);
    expect(await statusOf(shopId)).toBe("paused");

    await enqueueDueSyncs(db());
    expect(await db().select().from(syncRuns).where(eq(syncRuns.shopId, shopId))).toHaveLength(0);
    const { run } = await enqueueSync(db(), shopId, "cli");
    expect(await claimSyncRun(db(), "worker-test", 60_000, 100, run.id)).toBeUndefined();

    const { token } = await regenerateWebhookToken({ db: db(), publicUrl: "https://bridge.test" }, shopId);
    const hook = await t.app.request(`/webhooks/ofn/${token}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: `job-${uniqueId()}`, event: "payment.completed", data: {} }),
    });
    expect(hook.status).toBe(200);
    expect(
      await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.shopId, shopId)),
    ).toHaveLength(1);

    const resumed = await admin.post(`/admin/shops/${shopId}/resume`, { _csrf: csrf });
    expect(resumed.status).toBe(303);
    expect(await statusOf(shopId)).toBe("active");
    expect((await claimSyncRun(db(), "worker-test", 60_000, 100, run.id))?.id).toBe(run.id);
  });

  it("queues a sync started by the admin and wakes the workers; refuses one for a paused shop", async () => {
    const { shopId } = await insertShop(t, { ofnInstance: "https://ofn.test" });
    const before = woke;
    const res = await admin.post(`/admin/shops/${shopId}/sync`, { _csrf: csrf });
    expect(res.headers.get("location")).toBe(`/admin/shops/${shopId}?done=sync`);
    const runs = await db().select().from(syncRuns).where(eq(syncRuns.shopId, shopId));
    expect(runs.map((r) => [r.status, r.trigger])).toEqual([["queued", "admin"]]);
    expect(woke).toBe(before + 1);
    const again = await admin.post(`/admin/shops/${shopId}/sync`, { _csrf: csrf });
    expect(again.headers.get("location")).toBe(`/admin/shops/${shopId}?done=syncRunning`);
    expect(await db().select().from(syncRuns).where(eq(syncRuns.shopId, shopId))).toHaveLength(1);

    const { shopId: pausedId } = await insertShop(t, { ofnInstance: "https://ofn.test", status: "paused" });
    expect((await admin.post(`/admin/shops/${pausedId}/sync`, { _csrf: csrf })).status).toBe(409);
    expect(await db().select().from(syncRuns).where(eq(syncRuns.shopId, pausedId))).toHaveLength(0);
  });

  it("deletes a shop only after the confirmation step, and every row of that shop only", async () => {
    const { shopId } = await insertShop(t, { ofnInstance: "https://ofn.test" });
    const { shopId: otherId } = await insertShop(t, { ofnInstance: "https://ofn.test" });
    await fillShop(db(), shopId);
    await fillShop(db(), otherId);
    const otherBefore = await rowCounts(db(), otherId);

    const confirm = await admin.request(`/admin/shops/${shopId}/delete`);
    expect(await confirm.text()).toContain('name="confirm"');
    const unconfirmed = await admin.post(`/admin/shops/${shopId}/delete`, { _csrf: csrf });
    expect(unconfirmed.status).toBe(400);
    expect((await rowCounts(db(), shopId)).shops).toBe(1);

    const deleted = await admin.post(`/admin/shops/${shopId}/delete`, { _csrf: csrf, confirm: "yes" });
    expect(deleted.headers.get("location")).toBe("/admin?done=deleted");
    expect(Object.values(await rowCounts(db(), shopId)).every((n) => n === 0)).toBe(true);
    expect(await rowCounts(db(), otherId)).toEqual(otherBefore);
    expect((await admin.request(`/admin/shops/${shopId}`)).status).toBe(404);
  });
});

describe("audit log", () => {
  it("records every admin action as actor admin and lists a shop's entries newest first", async () => {
    const { shopId } = await insertShop(t, { ofnInstance: "https://ofn.test" });
    const { shopId: otherId } = await insertShop(t, { ofnInstance: "https://ofn.test" });
    await admin.post(`/admin/shops/${otherId}/pause`, { _csrf: csrf });
    for (const action of ["pause", "resume", "sync"])
      await admin.post(`/admin/shops/${shopId}/${action}`, { _csrf: csrf });
    const entriesOn = async (path: string) => {
      const html = await (await admin.request(path)).text();
      return {
        html,
        actions: [...html.matchAll(/<td>(shop\.[a-z]+|sync\.requested)<\/td>/g)].map((m) => m[1]),
      };
    };
    const before = await entriesOn(`/admin/audit?shop=${shopId}`);
    expect(before.actions).toEqual(["sync.requested", "shop.resumed", "shop.paused"]);
    expect(before.html).not.toContain(otherId);
    const otherPause = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.shopId, otherId), eq(auditLog.action, "shop.paused")));
    expect(otherPause[0]?.actor).toBe("admin");

    // The shop's own entries go with it; the record of its deletion stays, still found by its id.
    await admin.post(`/admin/shops/${shopId}/delete`, { _csrf: csrf, confirm: "yes" });
    const deletion = await db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "shop.deleted"))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(deletion[0]).toMatchObject({ actor: "admin", shopId: null, detail: { shopId } });
    expect((await entriesOn(`/admin/audit?shop=${shopId}`)).actions).toEqual(["shop.deleted"]);
    const all = await (await admin.request("/admin/audit")).text();
    expect(all).toContain("admin.signed_in");
  });
});
