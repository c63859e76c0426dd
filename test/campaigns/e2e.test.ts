import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCampaigns } from "../../src/campaigns/dashboard.js";
import { shopEnterprises } from "../../src/db/schema/index.js";
import { createShop, createWorld, type World } from "../support/world.js";
import {
  addSubscriber,
  campaignDeps,
  drain,
  listenBridge,
  PROVIDERS,
  providerCampaigns,
  webhookToken,
} from "./provider-world.js";

describe.each(PROVIDERS)("order cycle opened, end to end with %s", (provider) => {
  let world: World;
  let bridge: Awaited<ReturnType<typeof listenBridge>>;
  beforeAll(async () => {
    world = await createWorld();
    bridge = await listenBridge(world.t.app);
  });
  afterAll(async () => {
    await bridge.close();
    await world.close();
  });

  it("turns OFN's deliveries into exactly one campaign per shop, sent once, with the rendered content", async () => {
    const coordinator = await createShop(world, { provider });
    const distributor = await createShop(world, { provider });
    for (const shop of [coordinator, distributor]) {
      addSubscriber(world, shop, `customer-${shop.shopId}@example.org`);
      const user = shop.ofnApiKey;
      world.ofn.setWebhookEndpoint(
        user,
        `${bridge.url}/webhooks/ofn/${await webhookToken(world, shop.shopId)}`,
      );
    }
    const closeAt = new Date(Date.now() + 5 * 86_400_000);
    const opened = world.ofn.openOrderCycle({
      name: "Panier <semaine> & co",
      coordinatorId: coordinator.enterpriseIds[0]!,
      distributorIds: [distributor.enterpriseIds[0]!],
      ordersCloseAt: closeAt,
    });
    expect(opened.deliveries).toHaveLength(2);
    await world.ofn.flushWebhooks();
    expect(world.ofn.deliveries.filter((d) => opened.deliveries.includes(d)).every((d) => d.done)).toBe(true);

    // OFN retrying a delivery it thinks failed: the same bytes, the same id.
    const again = opened.deliveries[0]!;
    const retry = await fetch(again.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: again.rawBody,
    });
    expect(await retry.json()).toEqual({ status: "duplicate" });

    await drain(campaignDeps(world));

    for (const shop of [coordinator, distributor]) {
      const seen = providerCampaigns(world, shop);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.status).toBe("sent");
      expect(seen[0]!.sentTo).toEqual([`customer-${shop.shopId}@example.org`]);
      // Shops default to French in Paris.
      expect(seen[0]!.subject).toMatch(/^Panier <semaine> & co : les commandes sont ouvertes chez Ferme /);
      expect(seen[0]!.html).toContain("<h2>Panier &lt;semaine&gt; &amp; co est ouvert</h2>");
      const [row] = await listCampaigns({ db: world.t.deps.database.db }, shop.shopId, { locale: "fr" });
      expect(row).toMatchObject({ status: "sent", statusLabel: "Envoyée", kind: "announcement" });
    }
    // The distributor's newsletter speaks for the distributor, not for the coordinator named in the payload.
    for (const shop of [coordinator, distributor]) {
      const [own] = await world.t.deps.database.db
        .select()
        .from(shopEnterprises)
        .where(eq(shopEnterprises.shopId, shop.shopId));
      expect(providerCampaigns(world, shop)[0]!.subject.endsWith(` chez ${own!.name}`)).toBe(true);
    }

    // Nothing more to do: a second pass of the workers sends nothing again.
    expect(await drain(campaignDeps(world))).toBe(0);
    expect(providerCampaigns(world, coordinator)).toHaveLength(1);
  });
});
