import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCampaigns, listDeliveries } from "../../src/campaigns/dashboard.js";
import {
  retryCampaign,
  sendTestCampaign,
  simulateOrderCycleOpened,
} from "../../src/campaigns/shop-actions.js";
import { AppError } from "../../src/errors.js";
import { createShop, createWorld, type World } from "../support/world.js";
import {
  addSubscriber,
  addTestAddress,
  campaignDeps,
  drain,
  PROVIDERS,
  providerCampaigns,
  setCampaignSettings,
} from "./provider-world.js";

describe.each(PROVIDERS)("the shop's campaign buttons with %s", (provider) => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.close());

  it("'send me a test' sends the provider's test email of the template and sends nothing to customers", async () => {
    const shop = await createShop(world, { provider });
    addSubscriber(world, shop, `customer-${shop.shopId}@example.org`);
    addTestAddress(world, shop, "me@shop.example");
    const row = await sendTestCampaign({ ...campaignDeps(world), owner: "web" }, shop.shopId, [
      "me@shop.example",
    ]);
    expect(row).toMatchObject({ kind: "test", status: "draft" });
    const seen = providerCampaigns(world, shop);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.tests).toEqual([["me@shop.example"]]);
    expect(seen[0]!.sentTo).toEqual([]);
    expect(seen[0]!.html).toContain("Sample order cycle");
    const [view] = await listCampaigns({ db: world.t.deps.database.db }, shop.shopId, { locale: "en" });
    expect(view).toMatchObject({ kindLabel: "Test email", testEmails: ["me@shop.example"], warning: null });
  });

  it("'send me a test' still sends when the checklist has a complaint, and shows it as a warning", async () => {
    const shop = await createShop(world, { provider }); // no subscriber yet
    addTestAddress(world, shop, "me@shop.example");
    const row = await sendTestCampaign({ ...campaignDeps(world), owner: "web" }, shop.shopId, [
      "me@shop.example",
    ]);
    expect(row.status).toBe("draft");
    expect(providerCampaigns(world, shop)[0]!.tests).toEqual([["me@shop.example"]]);
    const [view] = await listCampaigns({ db: world.t.deps.database.db }, shop.shopId, { locale: "en" });
    expect(view?.warning).toMatch(/contact|subscri|list/i);
  });

  it("'send me a test' without any address fails with a translated reason", async () => {
    const shop = await createShop(world, { provider });
    await setCampaignSettings(world, shop.shopId, { testEmails: [] });
    const row = await sendTestCampaign({ ...campaignDeps(world), owner: "web" }, shop.shopId);
    expect(row).toMatchObject({ status: "failed", errorCode: "NO_TEST_ADDRESS" });
    const [view] = await listCampaigns({ db: world.t.deps.database.db }, shop.shopId, { locale: "fr" });
    expect(view?.reason).toBe(
      "Ajoutez une adresse pour les e-mails de test dans les réglages de campagne, puis réessayez.",
    );
    expect(view?.canRetry).toBe(true);
  });

  it("'simulate order cycle opened' runs the real intake: a draft in the provider plus a test email", async () => {
    const shop = await createShop(world, {
      provider,
      settings: { campaigns: { testEmails: ["owner@shop.example"] } },
    });
    addSubscriber(world, shop, `customer-${shop.shopId}@example.org`);
    addTestAddress(world, shop, "owner@shop.example");
    const recorded = await simulateOrderCycleOpened(campaignDeps(world), shop.shopId);
    expect(recorded).toMatchObject({ status: "accepted", dueNow: true });
    expect(recorded.orderCycle.id).toBeLessThan(0);
    await drain(campaignDeps(world));
    const seen = providerCampaigns(world, shop);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.sentTo).toEqual([]);
    expect(seen[0]!.tests).toEqual([["owner@shop.example"]]);
    const [view] = await listCampaigns({ db: world.t.deps.database.db }, shop.shopId, { locale: "en" });
    expect(view).toMatchObject({ kind: "announcement", status: "draft", simulated: true });
    const [delivery] = await listDeliveries({ db: world.t.deps.database.db }, shop.shopId, { locale: "en" });
    expect(delivery).toMatchObject({
      event: "order_cycle.opened",
      outcome: "accepted",
      label: "Campaign queued",
    });
    // A second click is a new sample cycle, never taken for a re-opening.
    expect((await simulateOrderCycleOpened(campaignDeps(world), shop.shopId)).status).toBe("accepted");
  });

  it("'retry' refuses a campaign that did not fail, and another shop's campaign", async () => {
    const shop = await createShop(world, { provider });
    const other = await createShop(world, { provider });
    addTestAddress(world, shop, "me@shop.example");
    const row = await sendTestCampaign({ ...campaignDeps(world), owner: "web" }, shop.shopId, [
      "me@shop.example",
    ]);
    const db = world.t.deps.database.db;
    await expect(retryCampaign({ db }, shop.shopId, row.id)).rejects.toMatchObject({ code: "CONFLICT" });
    const denied = await retryCampaign({ db }, other.shopId, row.id).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(AppError);
    expect((denied as AppError).code).toBe("NOT_FOUND");
  });
});
