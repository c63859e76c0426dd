/** Everything the operator's page about one shop shows, in one call. */
import {
  type CampaignView,
  type DeliveryView,
  listCampaigns,
  listDeliveries,
} from "../campaigns/dashboard.js";
import type { Db } from "../db/client.js";
import type { SyncRunRow } from "../jobs/sync-queue.js";
import { listSyncRuns } from "../shops/dashboard.js";
import type { Locale } from "../web/i18n/index.js";
import { getShopHealth, type ShopHealth } from "./health.js";

export interface ShopDetail {
  health: ShopHealth;
  runs: SyncRunRow[];
  campaigns: CampaignView[];
  deliveries: DeliveryView[];
}

export async function loadShopDetail(db: Db, shopId: string, locale: Locale): Promise<ShopDetail> {
  const health = await getShopHealth(db, shopId);
  const [runs, campaigns, deliveries] = await Promise.all([
    listSyncRuns(db, shopId, 10),
    listCampaigns({ db }, shopId, { locale, limit: 20 }),
    listDeliveries({ db }, shopId, { locale, limit: 20 }),
  ]);
  return { health, runs, campaigns, deliveries };
}
