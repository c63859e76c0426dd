/**
 * Read models for the shop's own pages: where setup stands, connection health, syncs. Every query
 * is scoped by the signed-in shop's id; a run id from a URL that is not this shop's reads as absent.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import {
  campaignTemplates,
  providerConnections,
  shopEnterprises,
  shops,
  syncRuns,
} from "../db/schema/index.js";
import { AppError } from "../errors.js";
import { readShopSettings, type ShopSettings } from "./settings.js";

export type SyncRunView = typeof syncRuns.$inferSelect;

export interface SetupProgress {
  hasEnterprises: boolean;
  hasProvider: boolean;
  hasAudience: boolean;
  hasTemplate: boolean;
  hasWebhook: boolean;
}

export interface ShopOverview {
  shop: {
    id: string;
    name: string;
    ofnInstance: string;
    ofnKeyLast4: string;
    status: string;
    statusMessage: string | null;
    timeZone: string;
    locale: string;
    nextSyncAt: Date | null;
  };
  settings: ShopSettings;
  enterprises: Array<{
    enterpriseId: number;
    name: string;
    shopUrl: string | null;
    syncCustomers: boolean;
    announceCycles: boolean;
  }>;
  connection?: {
    provider: "mailchimp" | "brevo";
    keyLast4: string;
    accountLabel: string | null;
    audienceId: string | null;
    audienceName: string | null;
    status: string;
    statusMessage: string | null;
  };
  progress: SetupProgress;
}

/** Where the shop's setup stands and what it shows on the dashboard; never a sealed key. */
export async function loadShopOverview(db: Db, shopId: string): Promise<ShopOverview> {
  const [shop] = await db.select().from(shops).where(eq(shops.id, shopId)).limit(1);
  if (!shop) throw new AppError("NOT_FOUND", "shop not found");
  const enterprises = await db
    .select()
    .from(shopEnterprises)
    .where(eq(shopEnterprises.shopId, shopId))
    .orderBy(shopEnterprises.enterpriseId);
  const [connection] = await db
    .select()
    .from(providerConnections)
    .where(eq(providerConnections.shopId, shopId));
  const [template] = await db
    .select({ id: campaignTemplates.id })
    .from(campaignTemplates)
    .where(eq(campaignTemplates.shopId, shopId));
  return {
    shop: {
      id: shop.id,
      name: shop.name,
      ofnInstance: shop.ofnInstance,
      ofnKeyLast4: shop.ofnApiKeyLast4,
      status: shop.status,
      statusMessage: shop.statusMessage,
      timeZone: shop.timeZone,
      locale: shop.locale,
      nextSyncAt: shop.nextSyncAt,
    },
    settings: readShopSettings(shop.settings),
    enterprises: enterprises.map((e) => ({
      enterpriseId: e.enterpriseId,
      name: e.name,
      shopUrl: e.shopUrl,
      syncCustomers: e.syncCustomers,
      announceCycles: e.announceCycles,
    })),
    connection: connection
      ? {
          provider: connection.provider === "brevo" ? "brevo" : "mailchimp",
          keyLast4: connection.apiKeyLast4,
          accountLabel: connection.accountLabel,
          audienceId: connection.audienceId,
          audienceName: connection.audienceName,
          status: connection.status,
          statusMessage: connection.statusMessage,
        }
      : undefined,
    progress: {
      hasEnterprises: enterprises.length > 0,
      hasProvider: Boolean(connection),
      hasAudience: Boolean(connection?.audienceId),
      hasTemplate: Boolean(template),
      hasWebhook: Boolean(shop.webhookTokenHash),
    },
  };
}

/** The first setup step still to do, or the dashboard when everything is in place. */
export function nextSetupPath(progress: SetupProgress): string {
  if (!progress.hasEnterprises) return "/setup/enterprises";
  if (!progress.hasProvider) return "/setup/provider";
  if (!progress.hasAudience) return "/setup/audience";
  if (!progress.hasWebhook) return "/setup/consent";
  return "/dashboard";
}

/** The shop's latest sync runs, newest first. */
export async function listSyncRuns(db: Db, shopId: string, limit = 10): Promise<SyncRunView[]> {
  return db
    .select()
    .from(syncRuns)
    .where(eq(syncRuns.shopId, shopId))
    .orderBy(desc(syncRuns.queuedAt))
    .limit(limit);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One run of this shop; undefined for a malformed id or another shop's run. */
export async function findShopSyncRun(
  db: Db,
  shopId: string,
  runId: string,
): Promise<SyncRunView | undefined> {
  if (!UUID.test(runId)) return undefined;
  const [run] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.shopId, shopId)))
    .limit(1);
  return run;
}

/** The run queued or running now, if any. */
export async function findActiveSyncRun(db: Db, shopId: string): Promise<SyncRunView | undefined> {
  const [run] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.shopId, shopId), sql`${syncRuns.status} in ('queued', 'running')`))
    .limit(1);
  return run;
}
