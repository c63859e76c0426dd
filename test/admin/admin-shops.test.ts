import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getShopHealth } from "../../src/admin/health.js";
import { campaigns, providerConnections, shops, syncRuns } from "../../src/db/schema/index.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { uniqueId } from "../support/ids.js";
import { fillShop } from "./fill-shop.js";
import { ADMIN_TOKEN, Browser, insertShop, signInAdmin } from "./support.js";

let t: TestApp;
let admin: Browser;

beforeAll(async () => {
  t = await createTestApp({ ADMIN_TOKEN, TRUST_PROXY: "true" });
  admin = new Browser(t.app);
  await signInAdmin(admin);
});
afterAll(() => t.close());

const db = () => t.database.db;
const rowsOn = (html: string) => html.match(/href="\/admin\/shops\/[0-9a-f-]{36}"/g)?.length ?? 0;

describe("shop list", () => {
  it("finds shops by name, pages through thousands 50 at a time, filters by status", async () => {
    const tag = `Ferme-${uniqueId()}`;
    const ids: string[] = [];
    for (let i = 0; i < 55; i++) {
      ids.push(
        (
          await insertShop(t, {
            ofnInstance: "https://ofn.test",
            name: `${tag}-${String(i).padStart(2, "0")}`,
          })
        ).shopId,
      );
    }
    const first = await (await admin.request(`/admin?q=${tag}`)).text();
    expect(first).toContain("Shops found: 55");
    expect(rowsOn(first)).toBe(50);
    expect(first).toContain(`${tag}-00`);
    expect(first).toContain(`href="/admin?q=${tag}&amp;page=2"`);
    const second = await (await admin.request(`/admin?q=${tag}&page=2`)).text();
    expect(rowsOn(second)).toBe(5);
    expect(second).toContain(`${tag}-54`);

    await db().update(shops).set({ status: "paused" }).where(eq(shops.id, ids[3]!));
    const paused = await (await admin.request(`/admin?q=${tag}&status=paused`)).text();
    expect(paused).toContain("Shops found: 1");
    expect(paused).toContain(`${tag}-03`);
    const byId = await (await admin.request(`/admin?q=${ids[7]}`)).text();
    expect(rowsOn(byId)).toBe(1);
  });

  it("shows each shop's last sync, last error, campaigns in progress and last webhook", async () => {
    const name = `Health-${uniqueId()}`;
    const { shopId } = await insertShop(t, { ofnInstance: "https://ofn.test", name });
    await fillShop(db(), shopId);
    await db()
      .insert(syncRuns)
      .values({
        shopId,
        status: "failed",
        errorMessage: "OFN did not answer in time",
        queuedAt: new Date(Date.now() + 1000),
      });
    const html = await (await admin.request(`/admin?q=${name}`)).text();
    expect(html).toContain("OFN did not answer in time");
    expect(html).toContain("payment.completed (ignored)");
    expect(html).toContain("mailchimp: connected");
  });

  it("counts only campaigns still in flight and names the most telling error", async () => {
    const { shopId } = await insertShop(t, { ofnInstance: "https://ofn.test" });
    await fillShop(db(), shopId);
    const at = { orderCycle: {}, openedAt: new Date() };
    await db()
      .insert(campaigns)
      .values([
        { shopId, orderCycleId: 2, status: "content_set", ...at },
        { shopId, orderCycleId: 3, status: "sent", ...at },
        { shopId, orderCycleId: 4, status: "failed", ...at },
      ]);
    await db()
      .insert(syncRuns)
      .values({
        shopId,
        status: "failed",
        errorMessage: "sync broke",
        queuedAt: new Date(Date.now() + 1000),
      });
    await db()
      .update(providerConnections)
      .set({ status: "broken", statusMessage: "key revoked" })
      .where(eq(providerConnections.shopId, shopId));
    const health = await getShopHealth(db(), shopId);
    expect(health.pendingCampaigns).toBe(2);
    expect(health.lastSync).toMatchObject({ status: "failed", errorMessage: "sync broke" });
    expect(health.lastWebhook).toMatchObject({ event: "payment.completed", outcome: "ignored" });
    expect(health.lastError).toBe("key revoked");
    await db()
      .update(shops)
      .set({ status: "broken", statusMessage: "OFN refused the key" })
      .where(eq(shops.id, shopId));
    expect((await getShopHealth(db(), shopId)).lastError).toBe("OFN refused the key");
  });
});

describe("shop page", () => {
  it("shows one shop without any secret, and 404 for an unknown or malformed id", async () => {
    const { shopId, ofnApiKey } = await insertShop(t, { ofnInstance: "https://ofn.test" });
    const res = await admin.request(`/admin/shops/${shopId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain(`…${ofnApiKey.slice(-4)}`);
    expect(html).not.toContain(ofnApiKey);
    expect(html).not.toContain("v1.");
    expect((await admin.request(`/admin/shops/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await admin.request("/admin/shops/not-a-shop")).status).toBe(404);
  });
});
