/** What the shop's dashboard shows of its campaigns and webhook deliveries, in the shop's language. */
import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { campaigns, webhookDeliveries } from "../db/schema/index.js";
import { type Locale, type MessageKey, translate } from "../web/i18n/index.js";
import type { CampaignDetails } from "./executor-types.js";

export interface CampaignView {
  id: string;
  kind: string;
  kindLabel: string;
  status: string;
  statusLabel: string;
  orderCycleId: number;
  orderCycleName: string;
  openedAt: Date;
  subject: string | null;
  /** Opens the campaign in Mailchimp or Brevo (drafts are sent from there). */
  providerUrl: string | null;
  runAt: Date;
  scheduledFor: Date | null;
  sentAt: Date | null;
  /** Why it failed or was cancelled: the bridge's words, or the provider's own reason. */
  reason: string | null;
  warning: string | null;
  testEmails: string[];
  simulated: boolean;
  canRetry: boolean;
}

export interface DeliveryView {
  id: string;
  deliveryId: string;
  event: string;
  orderCycleId: number | null;
  openedAt: Date | null;
  outcome: string;
  label: string;
  /** OFN's test button (payment.completed) reached the bridge: the URL works. */
  isTest: boolean;
  receivedCount: number;
  receivedAt: Date;
  lastReceivedAt: Date;
}

/** Bridge error codes with a translated explanation; any other code carries the provider's message. */
const ERROR_KEYS: Record<string, MessageKey> = {
  NO_PROVIDER: "campaign.error.noProvider",
  CONNECTION_BROKEN: "campaign.error.connectionBroken",
  NO_TEST_ADDRESS: "campaign.error.noTestAddress",
  CLOSED: "campaign.error.closedBeforeLastCall",
  REOPENED: "campaign.error.reopenedOtherDates",
  GAVE_UP: "campaign.error.gaveUp",
  INTERNAL: "campaign.error.internal",
};

function label(locale: Locale, prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  const text = translate(locale, key);
  return text === key ? value : text;
}

export async function listCampaigns(
  deps: { db: Db },
  shopId: string,
  options: { locale: Locale; limit?: number },
): Promise<CampaignView[]> {
  const rows = await deps.db
    .select()
    .from(campaigns)
    .where(eq(campaigns.shopId, shopId))
    .orderBy(desc(campaigns.createdAt))
    .limit(Math.min(options.limit ?? 50, 500));
  return rows.map((row) => {
    const details = (row.details ?? {}) as CampaignDetails;
    const key = row.errorCode ? ERROR_KEYS[row.errorCode] : undefined;
    const reason = key
      ? translate(options.locale, key, { message: row.errorMessage ?? "" })
      : row.errorMessage;
    return {
      id: row.id,
      kind: row.kind,
      kindLabel: label(options.locale, "campaign.kind", row.kind),
      status: row.status,
      statusLabel: label(options.locale, "campaign.status", row.status),
      orderCycleId: row.orderCycleId,
      orderCycleName: String((row.orderCycle as { name?: unknown }).name ?? ""),
      openedAt: row.openedAt,
      subject: row.subject,
      providerUrl: row.providerUrl,
      runAt: row.runAt,
      scheduledFor: row.scheduledFor,
      sentAt: row.sentAt,
      reason: reason ?? null,
      warning: details.checkWarning ?? null,
      testEmails: details.testEmails ?? [],
      simulated: details.simulated === true,
      canRetry: row.status === "failed",
    };
  });
}

export async function listDeliveries(
  deps: { db: Db },
  shopId: string,
  options: { locale: Locale; limit?: number },
): Promise<DeliveryView[]> {
  const rows = await deps.db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.shopId, shopId))
    .orderBy(desc(webhookDeliveries.receivedAt))
    .limit(Math.min(options.limit ?? 50, 500));
  return rows.map((row) => {
    const isTest = row.event === "payment.completed" && row.outcome === "ignored";
    const [outcome = row.outcome, reason] = row.outcome.split(":");
    const text = isTest
      ? translate(options.locale, "delivery.outcome.testReceived")
      : label(options.locale, "delivery.outcome", reason ?? outcome);
    return {
      id: row.id,
      deliveryId: row.deliveryId,
      event: row.event,
      orderCycleId: row.orderCycleId,
      openedAt: row.openedAt,
      outcome: row.outcome,
      label: text,
      isTest,
      receivedCount: row.receivedCount,
      receivedAt: row.receivedAt,
      lastReceivedAt: row.lastReceivedAt,
    };
  });
}
