import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, campaigns, shops, syncRuns } from "../../src/db/schema/index.js";
import { readShopSettings } from "../../src/shops/settings.js";
import { fillShop } from "../admin/fill-shop.js";
import { insertShop } from "../admin/support.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { ADMIN_TOKEN, type ApiError, asOperator, documentValidator } from "./support.js";

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

describe("runs and campaigns", () => {
  it("lists sync runs with counts and progress, and reads one", async () => {
    const { shopId } = await shop();
    const [run] = await db()
      .insert(syncRuns)
      .values({
        shopId,
        status: "running",
        progressDone: 40,
        progressTotal: 100,
        counts: { new: 3, updated: 1 },
        invalidEmails: [{ email: "x" }],
      })
      .returning();
    const list = (await (await asOperator(t, `/api/v1/shops/${shopId}/runs`)).json()) as { items: unknown[] };
    expect(validator.check("SyncRunList", list)).toEqual([]);
    expect(list.items).toEqual([
      expect.objectContaining({
        id: run!.id,
        progress: { done: 40, total: 100 },
        counts: { new: 3, updated: 1 },
        invalidEmailCount: 1,
      }),
    ]);
    expect((await asOperator(t, `/api/v1/shops/${shopId}/runs/${run!.id}`)).status).toBe(200);
    expect((await asOperator(t, `/api/v1/shops/${crypto.randomUUID()}/runs`)).status).toBe(404);
    expect((await asOperator(t, `/api/v1/shops/${shopId}/runs/not-an-id`)).status).toBe(400);
  });

  it("lists campaigns and deliveries, and retries only a failed campaign", async () => {
    const { shopId } = await shop();
    await fillShop(db(), shopId);
    const [failed] = await db()
      .insert(campaigns)
      .values({
        shopId,
        orderCycleId: 9,
        openedAt: new Date(),
        orderCycle: { name: "Week 9" },
        status: "failed",
        errorMessage: "nope",
      })
      .returning();
    const list = (await (await asOperator(t, `/api/v1/shops/${shopId}/campaigns`)).json()) as {
      items: Array<{ id: string; canRetry: boolean }>;
    };
    expect(validator.check("CampaignList", list)).toEqual([]);
    expect(list.items.find((c) => c.id === failed!.id)?.canRetry).toBe(true);
    const deliveries = await (await asOperator(t, `/api/v1/shops/${shopId}/deliveries`)).json();
    expect(validator.check("WebhookDeliveryList", deliveries)).toEqual([]);

    const retried = await asOperator(t, `/api/v1/shops/${shopId}/campaigns/${failed!.id}/retry`, {
      method: "POST",
    });
    expect(await retried.json()).toEqual({ id: failed!.id, status: "pending" });
    expect(
      (await asOperator(t, `/api/v1/shops/${shopId}/campaigns/${failed!.id}/retry`, { method: "POST" }))
        .status,
    ).toBe(409);
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.shopId, shopId), eq(auditLog.action, "campaign.retried")));
    expect(audit).toHaveLength(1);
  });
});

describe("settings", () => {
  it("changes only the fields sent, validated by the settings schema", async () => {
    const { shopId } = await shop({ settings: { sync: { consent: "double_opt_in" } } });
    const current = (await (await asOperator(t, `/api/v1/shops/${shopId}/settings`)).json()) as {
      sync: { consent: string };
    };
    expect(validator.check("Settings", current)).toEqual([]);
    expect(current.sync.consent).toBe("double_opt_in");
    const res = await asOperator(t, `/api/v1/shops/${shopId}/settings`, {
      method: "PATCH",
      body: { sync: { intervalHours: 6, mapping: { phone: false } }, campaigns: { delivery: "draft" } },
    });
    expect(res.status).toBe(200);
    const [row] = await db().select().from(shops).where(eq(shops.id, shopId));
    const stored = readShopSettings(row!.settings);
    expect(stored.sync).toMatchObject({
      consent: "double_opt_in",
      intervalHours: 6,
      mapping: { phone: false, names: true },
    });
    expect(stored.campaigns.delivery).toBe("draft");
    expect(row!.nextSyncAt).not.toBeNull();
  });

  it("refuses invalid settings with 400 naming each field, and changes nothing", async () => {
    const { shopId } = await shop();
    const res = await asOperator(t, `/api/v1/shops/${shopId}/settings`, {
      method: "PATCH",
      body: {
        sync: { intervalHours: 0, cron: "every day", colour: "red" },
        campaigns: { testEmails: ["not-an-email"] },
      },
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ApiError;
    expect(error.code).toBe("VALIDATION");
    expect(error.details?.fields?.map((f) => f.field).sort()).toEqual(
      ["campaigns.testEmails.0", "sync.colour", "sync.cron", "sync.intervalHours"].sort(),
    );
    expect(error.message).toContain("sync.intervalHours");
    const [row] = await db().select().from(shops).where(eq(shops.id, shopId));
    expect(row!.settings).toEqual({});
    const form = await asOperator(t, `/api/v1/shops/${shopId}/settings`, {
      method: "PATCH",
      raw: { body: "a=1", type: "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    const broken = await asOperator(t, `/api/v1/shops/${shopId}/settings`, {
      method: "PATCH",
      raw: { body: "{", type: "application/json" },
    });
    expect(broken.status).toBe(400);
  });
});
