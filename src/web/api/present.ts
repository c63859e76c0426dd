/** Service results turned into the API's JSON (dates as ISO strings); the schemas then drop anything extra. */
import type { z } from "zod";
import type { ShopHealth } from "../../admin/health.js";
import type { CampaignView, DeliveryView } from "../../campaigns/dashboard.js";
import type { SyncRunRow } from "../../jobs/sync-queue.js";
import type {
  campaignSchema,
  deliveryListSchema,
  lastSyncSchema,
  shopSchema,
  syncRunSchema,
} from "./schemas.js";

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

type Status = z.input<typeof lastSyncSchema>["status"];

function numericCounts(value: unknown): Record<string, number> {
  if (!value || typeof value !== "object") return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === "number"),
  );
}

export function presentShop(shop: ShopHealth): z.input<typeof shopSchema> {
  const run = shop.lastSync;
  return {
    ...shop,
    status: shop.status as z.input<typeof shopSchema>["status"],
    createdAt: iso(shop.createdAt),
    nextSyncAt: isoOrNull(shop.nextSyncAt),
    lastSync: run
      ? {
          id: run.id,
          status: run.status as Status,
          trigger: run.trigger,
          queuedAt: iso(run.queuedAt),
          startedAt: isoOrNull(run.startedAt),
          finishedAt: isoOrNull(run.finishedAt),
          progress: { done: run.progressDone, total: run.progressTotal },
          counts: run.counts,
          error:
            run.errorCode || run.errorMessage ? { code: run.errorCode, message: run.errorMessage } : null,
        }
      : null,
    lastWebhook: shop.lastWebhook
      ? { ...shop.lastWebhook, receivedAt: iso(shop.lastWebhook.receivedAt) }
      : null,
  };
}

export function presentRun(run: SyncRunRow): z.input<typeof syncRunSchema> {
  return {
    id: run.id,
    status: run.status as Status,
    trigger: run.trigger,
    attempts: run.attempts,
    queuedAt: iso(run.queuedAt),
    startedAt: isoOrNull(run.startedAt),
    finishedAt: isoOrNull(run.finishedAt),
    progress: { done: run.progressDone, total: run.progressTotal },
    counts: numericCounts(run.counts),
    // How many, not which: the addresses themselves stay on the shop's own dashboard.
    invalidEmailCount: Array.isArray(run.invalidEmails) ? run.invalidEmails.length : 0,
    warnings: Array.isArray(run.warnings)
      ? run.warnings.filter((w): w is string => typeof w === "string")
      : [],
    error: run.errorCode || run.errorMessage ? { code: run.errorCode, message: run.errorMessage } : null,
  };
}

export function presentCampaign(campaign: CampaignView): z.input<typeof campaignSchema> {
  return {
    ...campaign,
    openedAt: iso(campaign.openedAt),
    runAt: iso(campaign.runAt),
    scheduledFor: isoOrNull(campaign.scheduledFor),
    sentAt: isoOrNull(campaign.sentAt),
  };
}

type DeliveryJson = z.input<typeof deliveryListSchema>["items"][number];

export function presentDelivery(delivery: DeliveryView): DeliveryJson {
  return {
    ...delivery,
    openedAt: isoOrNull(delivery.openedAt),
    receivedAt: iso(delivery.receivedAt),
    lastReceivedAt: iso(delivery.lastReceivedAt),
  };
}
