/** The dashboard: sync now with live progress, campaigns and their buttons, keys, disconnect, delete. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditLog,
  campaigns,
  campaignTemplates,
  contacts,
  providerConnections,
  sessions,
  shopEnterprises,
  shops,
  syncRuns,
  webhookDeliveries,
} from "../../src/db/schema/index.js";
import { runSyncRunNow } from "../../src/jobs/sync-worker.js";
import { createWebWorld, setUpThroughPages, textOf, type WebWorld } from "./harness.js";

describe("dashboard", () => {
  let world: WebWorld;
  beforeAll(async () => {
    world = await createWebWorld();
  });
  afterAll(() => world.close());

  const db = () => world.t.deps.database.db;
  const shopOf = async (last4: string) =>
    (await db().select().from(shops).where(eq(shops.ofnApiKeyLast4, last4)))[0]!;

  it("syncs now and streams the run's progress until it is done", async () => {
    const { client, dashboard, seeded } = await setUpThroughPages(world);
    expect(textOf(dashboard.html)).toContain("None yet");
    const queued = await client.post("/dashboard/sync", {}, { from: dashboard });
    expect(queued.status).toBe(303);
    const runId = /^\/dashboard\/sync\/([0-9a-f-]{36})$/.exec(queued.location ?? "")?.[1];
    expect(runId).toBeDefined();

    const page = await client.get(queued.location!);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`data-sync-events="/dashboard/sync/${runId}/events"`);
    expect(page.html).toContain('src="/static/progress.js"');
    expect(page.html).toContain(`<noscript><p><a href="/dashboard/sync/${runId}">`);
    expect(textOf(page.html)).toContain("Waiting to start");

    // "Sync now" again while it is queued: the same run, not a second one.
    const twice = await client.post("/dashboard/sync", {}, { from: dashboard });
    expect(twice.location).toBe(queued.location);

    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const stream = world.t.app.request(`/dashboard/sync/${runId}/events`, {
      headers: { cookie, "x-forwarded-for": client.ip },
    });
    await runSyncRunNow(world.t.deps.syncDeps, runId!, { owner: "test-worker" });
    const res = await stream;
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const body = await res.text();
    const events = [...body.matchAll(/event: progress\ndata: (.+)\n/g)].map((m) => JSON.parse(m[1]!));
    const last = events.at(-1);
    expect(last.status).toBe("succeeded");
    expect(last.total).toBeGreaterThan(0);
    expect(last.done).toBe(last.total);
    expect(last.counts.new).toBe(2);

    const after = await client.get(`/dashboard/sync/${runId}`);
    expect(textOf(after.html)).toContain("Done");
    expect(textOf(after.html)).toContain("2 new");
    expect(after.html).not.toContain("data-sync-events");
    const home = await client.get("/dashboard");
    expect(textOf(home.html)).toContain("2 new");
    expect(home.html).toContain(`href="/dashboard/sync/${runId}"`);
    expect(home.html).not.toContain(seeded.ofnKey);
  });

  it("sends a test email and lists it, then simulates an order cycle opening", async () => {
    const { client, dashboard, seeded } = await setUpThroughPages(world, { provider: "brevo" });
    const badEmail = await client.post(
      "/dashboard/test",
      { test_email: "not an email" },
      { from: dashboard },
    );
    expect(badEmail.status).toBe(400);
    expect(textOf(badEmail.html)).toContain("Enter a valid email address for the test.");
    expect(badEmail.html).toContain('<a href="#test_email">');

    // Brevo sends tests only to addresses that are contacts of the account: the reason is shown.
    const refused = await client.post("/dashboard/test", { test_email: seeded.sender }, { from: dashboard });
    expect(refused.location).toMatch(/^\/dashboard\?notice=testFailed/);
    const afterRefusal = textOf((await client.get(refused.location!)).html);
    expect(afterRefusal).toContain("The test email could not be sent.");
    expect(afterRefusal).toContain("Test email could not be sent to the following email addresses");

    world.brevo.addContact(seeded.brevoKey, { email: seeded.sender });
    const sent = await client.post("/dashboard/test", { test_email: seeded.sender }, { from: dashboard });
    expect(sent.status).toBe(303);
    expect(sent.location).toMatch(/^\/dashboard\?notice=testSent/);
    const afterTest = await client.get(sent.location!);
    expect(textOf(afterTest.html)).toContain("The test email is sent.");
    expect(textOf(afterTest.html)).toContain("Test email");

    const simulated = await client.post("/dashboard/simulate", {}, { from: afterTest });
    expect(simulated.status).toBe(303);
    const afterSimulate = await client.get(simulated.location!);
    const text = textOf(afterSimulate.html);
    expect(text).toContain("A sample order cycle went through");
    expect(text).toContain("order_cycle.opened");
    expect(text).toContain("Sample order cycle");
  });

  it('lists OFN\'s test delivery as "test received"', async () => {
    const { client, webhookUrl } = await setUpThroughPages(world, { lang: "fr" });
    const path = new URL(webhookUrl).pathname;
    const res = await world.t.app.request(path, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "openfoodnetwork_webhook/1.0" },
      body: JSON.stringify({
        id: crypto.randomUUID(),
        event: "payment.completed",
        at: "2026-02-07 17:12:45 +1100",
        data: { payment: { state: "completed" } },
      }),
    });
    expect(res.status).toBeLessThan(300);
    const dashboard = await client.get("/dashboard");
    expect(textOf(dashboard.html)).toContain("payment.completed");
    expect(textOf(dashboard.html)).toContain("Test reçu");
    expect(dashboard.html).toContain('<span class="badge succeeded">');
    expect(textOf(dashboard.html)).not.toContain("Rien reçu d'OFN pour l'instant.");
  });

  it("retries a failed campaign of this shop", async () => {
    const { client, seeded } = await setUpThroughPages(world, { lang: "fr" });
    const shop = await shopOf(seeded.ofnKey.slice(-4));
    const [failed] = await db()
      .insert(campaigns)
      .values({
        shopId: shop.id,
        orderCycleId: 42,
        openedAt: new Date(),
        orderCycle: { name: "Cycle 42" },
        status: "failed",
        errorCode: "GAVE_UP",
        errorMessage: "HTTP 503",
      })
      .returning();
    const dashboard = await client.get("/dashboard");
    expect(dashboard.html).toContain(`action="/dashboard/campaigns/${failed!.id}/retry"`);
    expect(textOf(dashboard.html)).toContain("Échec");
    const retried = await client.post(`/dashboard/campaigns/${failed!.id}/retry`, {}, { from: dashboard });
    expect(retried.status).toBe(303);
    const [row] = await db().select().from(campaigns).where(eq(campaigns.id, failed!.id));
    expect(row!.status).toBe("pending");
    expect(textOf((await client.get(retried.location!)).html)).toContain(
      "La campagne va être retentée dans un instant.",
    );
    // Retrying again (not failed any more) is refused with a reason.
    const again = await client.post(`/dashboard/campaigns/${failed!.id}/retry`, {}, { from: dashboard });
    expect(again.status).toBe(409);
  });

  it("shows a broken OFN connection with what to do, and takes the regenerated key", async () => {
    const { client, seeded } = await setUpThroughPages(world);
    const shop = await shopOf(seeded.ofnKey.slice(-4));
    const newKey = world.ofn.replaceApiKey(seeded.ofnKey);
    await db().update(shops).set({ status: "broken", statusMessage: "401" }).where(eq(shops.id, shop.id));
    const dashboard = await client.get("/dashboard");
    expect(textOf(dashboard.html)).toContain("Needs your attention");
    expect(textOf(dashboard.html)).toContain("OFN refused your key, so syncs and announcements are stopped.");

    const form = await client.get("/dashboard/ofn-key");
    expect(textOf(form.html)).toContain(`The saved key ends in …${seeded.ofnKey.slice(-4)}`);
    const stale = await client.post("/dashboard/ofn-key", { ofn_key: seeded.ofnKey }, { from: form });
    expect(stale.status).toBe(400);
    const replaced = await client.post("/dashboard/ofn-key", { ofn_key: newKey }, { from: form });
    expect(replaced.status).toBe(303);
    const after = await client.get(replaced.location!);
    expect(textOf(after.html)).toContain("Your new OFN key works and is saved.");
    expect(textOf(after.html)).toContain(`key ending in …${newKey.slice(-4)}`);
    const [row] = await db().select().from(shops).where(eq(shops.id, shop.id));
    expect(row!.status).toBe("active");

    // Another shop's key cannot be taken over from here.
    const other = await setUpThroughPages(world);
    const taken = await client.post("/dashboard/ofn-key", { ofn_key: other.seeded.ofnKey }, { from: form });
    expect(taken.status).toBe(409);
    expect(textOf(taken.html)).toContain("This key already belongs to another shop on this bridge.");
  });

  it("disconnects the newsletter tool after a confirmation", async () => {
    const { client, seeded } = await setUpThroughPages(world, { provider: "brevo" });
    const confirm = await client.get("/dashboard/disconnect");
    expect(textOf(confirm.html)).toContain("Disconnect Brevo?");
    const done = await client.post("/dashboard/disconnect", {}, { from: confirm });
    expect(done.status).toBe(303);
    const shop = await shopOf(seeded.ofnKey.slice(-4));
    expect(
      await db().select().from(providerConnections).where(eq(providerConnections.shopId, shop.id)),
    ).toHaveLength(0);
    const dashboard = await client.get(done.location!);
    expect(textOf(dashboard.html)).toContain("No newsletter tool is connected");
  });

  it("deletes everything about the shop, session included, and keeps an audit line", async () => {
    const { client, seeded, dashboard } = await setUpThroughPages(world, { enterprises: 2 });
    const shop = await shopOf(seeded.ofnKey.slice(-4));
    const queued = await client.post("/dashboard/sync", {}, { from: dashboard });
    await runSyncRunNow(world.t.deps.syncDeps, queued.location!.split("/").pop()!, { owner: "test-worker" });
    await client.post("/dashboard/simulate", {}, { from: dashboard });
    expect(await db().select().from(contacts).where(eq(contacts.shopId, shop.id))).not.toHaveLength(0);

    const confirm = await client.get("/dashboard/delete");
    expect(textOf(confirm.html)).toContain("Delete everything about this shop?");
    const deleted = await client.post("/dashboard/delete", {}, { from: confirm });
    expect(deleted.status).toBe(303);
    expect(deleted.location).toBe("/?notice=deleted");

    for (const table of [
      shopEnterprises,
      providerConnections,
      syncRuns,
      webhookDeliveries,
      campaigns,
      campaignTemplates,
      contacts,
      sessions,
    ]) {
      expect(await db().select().from(table).where(eq(table.shopId, shop.id))).toHaveLength(0);
    }
    expect(await db().select().from(shops).where(eq(shops.id, shop.id))).toHaveLength(0);
    const audit = (await db().select().from(auditLog)).filter((row) => row.action === "shop.deleted");
    expect(audit.some((row) => (row.detail as { shopId?: string }).shopId === shop.id)).toBe(true);

    const landing = await client.get(deleted.location!);
    expect(textOf(landing.html)).toContain("Everything about your shop has been deleted from this bridge.");
    expect((await client.get("/dashboard")).status).toBe(303);
    // Pasting the same key again starts a new, empty shop.
    const keyForm = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    const again = await client.post(
      "/setup/key",
      { instance: world.ofnUrl, ofn_key: seeded.ofnKey },
      { from: keyForm },
    );
    expect(again.location).toBe("/setup/enterprises");
  });
});
