/** Campaign test helpers: shop rows with a webhook token, and OFN-shaped deliveries. */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { regenerateWebhookToken } from "../../src/campaigns/tokens.js";
import type { Db } from "../../src/db/client.js";
import { campaigns, shopEnterprises, shops, webhookDeliveries } from "../../src/db/schema/index.js";
import { type CampaignSettings, shopSettingsSchema } from "../../src/shops/settings.js";
import { hex, uniqueId } from "../support/ids.js";

let enterpriseSeq = 50_000;
export const nextEnterpriseId = () => ++enterpriseSeq;

export interface EnterpriseSeed {
  id?: number;
  name?: string;
  announceCycles?: boolean;
  shopUrl?: string;
}

/** A shop row (no provider) with enterprises and a fresh webhook token. */
export async function insertShop(
  db: Db,
  options: { campaigns?: Partial<CampaignSettings>; enterprises?: EnterpriseSeed[]; locale?: string } = {},
): Promise<{ shopId: string; token: string; enterpriseIds: number[] }> {
  const id = uniqueId();
  const [shop] = await db
    .insert(shops)
    .values({
      ofnInstance: "https://ofn.example",
      ofnKeyLookup: `lookup-${id}`,
      ofnApiKeySealed: "not-used-here",
      ofnApiKeyLast4: hex(4),
      name: `Shop ${id}`,
      locale: options.locale ?? "en",
      settings: shopSettingsSchema.parse({ campaigns: options.campaigns ?? {} }),
    })
    .returning({ id: shops.id });
  if (!shop) throw new Error("shop not inserted");
  const seeds = options.enterprises ?? [{}];
  const enterpriseIds: number[] = [];
  for (const seed of seeds) {
    const enterpriseId = seed.id ?? nextEnterpriseId();
    enterpriseIds.push(enterpriseId);
    await db.insert(shopEnterprises).values({
      shopId: shop.id,
      enterpriseId,
      name: seed.name ?? `Farm ${enterpriseId}`,
      shopUrl: seed.shopUrl ?? `https://ofn.example/farm-${enterpriseId}/shop`,
      announceCycles: seed.announceCycles ?? true,
    });
  }
  const { token } = await regenerateWebhookToken({ db, publicUrl: "https://bridge.test" }, shop.id);
  return { shopId: shop.id, token, enterpriseIds };
}

let cycleSeq = 9_000;
export const nextCycleId = () => ++cycleSeq;

/** An `order_cycle.opened` body exactly as OFN builds it (ofn.md §2.2). */
export function openedBody(options: {
  cycleId: number;
  coordinatorId: number;
  openedAt?: string;
  closeAt?: string | null;
  name?: string;
  deliveryId?: string;
}) {
  const openedAt = options.openedAt ?? "2026-03-02T09:00:12.000+01:00";
  return {
    id: options.deliveryId ?? randomUUID(),
    event: "order_cycle.opened",
    at: "2026-03-02 09:00:12 +0100",
    data: {
      id: options.cycleId,
      name: options.name ?? `Cycle ${options.cycleId}`,
      orders_open_at: openedAt.replace(/:\d\d\.\d{3}/, ":00.000"),
      opened_at: openedAt,
      orders_close_at: options.closeAt === undefined ? "2026-03-06T18:00:00.000+01:00" : options.closeAt,
      coordinator_id: options.coordinatorId,
      coordinator_name: `Coordinator ${options.coordinatorId}`,
    },
  };
}

export function post(app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }) {
  return (token: string, body: unknown, path = `/webhooks/ofn/${token}`) =>
    app.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "openfoodnetwork_webhook/1.0" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
}

export async function campaignsOf(db: Db, shopId: string, kind?: string) {
  const where = kind
    ? and(eq(campaigns.shopId, shopId), eq(campaigns.kind, kind))
    : eq(campaigns.shopId, shopId);
  return db.select().from(campaigns).where(where);
}

export async function deliveriesOf(db: Db, shopId: string) {
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.shopId, shopId));
}
