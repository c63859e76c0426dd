/**
 * The operator's view of every shop: its own status, the provider connection, the last sync, the
 * campaigns still in flight and the last webhook. One query per page, however many shops: the
 * page of shop ids is chosen first, and each per-shop fact is a LATERAL subquery over an index.
 */
import { and, desc, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { campaigns, providerConnections, shops, syncRuns, webhookDeliveries } from "../db/schema/index.js";
import { AppError } from "../errors.js";
import type { ShopHealth, ShopPage, ShopSearch } from "./health-types.js";

export {
  SHOP_STATUSES,
  type ShopHealth,
  type ShopPage,
  type ShopSearch,
  type ShopStatus,
} from "./health-types.js";

/** Campaign statuses that still have work ahead of them. */
const IN_FLIGHT = ["pending", "created", "content_set", "cancelling"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function searchFilter(search: Pick<ShopSearch, "q" | "status">): SQL | undefined {
  const parts: SQL[] = [];
  if (search.status) parts.push(eq(shops.status, search.status));
  const q = search.q?.trim();
  // No stored text holds NUL (PostgreSQL refuses it, and refuses it as a parameter too: a search
  // for one was a 500, found by the fuzz tests). It matches nothing.
  if (q?.includes("\u0000")) return sql`false`;
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const matches = [
      ilike(shops.name, like),
      ilike(shops.ofnInstance, like),
      ilike(shops.contactEmail, like),
    ];
    if (UUID.test(q)) matches.push(eq(shops.id, q.toLowerCase()));
    parts.push(or(...matches)!);
  }
  return parts.length > 0 ? and(...parts) : undefined;
}

async function selectHealth(db: Db, where: SQL | undefined, limit: number, offset: number) {
  const page = db
    .select({ id: shops.id, total: sql<number>`count(*) over ()`.as("total") })
    .from(shops)
    .where(where)
    .orderBy(shops.name, shops.id)
    .limit(limit)
    .offset(offset)
    .as("page");
  const lastRun = db
    .select({
      id: syncRuns.id,
      status: syncRuns.status,
      trigger: syncRuns.trigger,
      queuedAt: syncRuns.queuedAt,
      startedAt: syncRuns.startedAt,
      finishedAt: syncRuns.finishedAt,
      progressDone: syncRuns.progressDone,
      progressTotal: syncRuns.progressTotal,
      counts: syncRuns.counts,
      errorCode: syncRuns.errorCode,
      errorMessage: syncRuns.errorMessage,
    })
    .from(syncRuns)
    .where(eq(syncRuns.shopId, page.id))
    .orderBy(desc(syncRuns.queuedAt))
    .limit(1)
    .as("last_run");
  const pending = db
    .select({ count: sql<number>`count(*)`.as("pending_count") })
    .from(campaigns)
    .where(and(eq(campaigns.shopId, page.id), inArray(campaigns.status, IN_FLIGHT)))
    .as("pending");
  const lastHook = db
    .select({
      event: webhookDeliveries.event,
      outcome: webhookDeliveries.outcome,
      at: webhookDeliveries.receivedAt,
    })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.shopId, page.id))
    .orderBy(desc(webhookDeliveries.receivedAt))
    .limit(1)
    .as("last_hook");
  return db
    .select({
      total: page.total,
      shop: shops,
      provider: providerConnections,
      run: {
        id: lastRun.id,
        status: lastRun.status,
        trigger: lastRun.trigger,
        queuedAt: lastRun.queuedAt,
        startedAt: lastRun.startedAt,
        finishedAt: lastRun.finishedAt,
        progressDone: lastRun.progressDone,
        progressTotal: lastRun.progressTotal,
        counts: lastRun.counts,
        errorCode: lastRun.errorCode,
        errorMessage: lastRun.errorMessage,
      },
      pending: pending.count,
      hook: { event: lastHook.event, outcome: lastHook.outcome, at: lastHook.at },
    })
    .from(page)
    .innerJoin(shops, eq(shops.id, page.id))
    .leftJoin(providerConnections, eq(providerConnections.shopId, page.id))
    .leftJoinLateral(lastRun, sql`true`)
    .leftJoinLateral(pending, sql`true`)
    .leftJoinLateral(lastHook, sql`true`)
    .orderBy(shops.name, shops.id);
}

type HealthRow = Awaited<ReturnType<typeof selectHealth>>[number];

function numericCounts(value: unknown): Record<string, number> {
  if (!value || typeof value !== "object") return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === "number"),
  );
}

function toHealth({ shop, provider, run, pending, hook }: HealthRow): ShopHealth {
  const failedRun = run?.status === "failed" ? run.errorMessage : null;
  const brokenProvider = provider?.status === "broken" ? provider.statusMessage : null;
  return {
    id: shop.id,
    name: shop.name,
    ofnInstance: shop.ofnInstance,
    ofnKeyLast4: shop.ofnApiKeyLast4,
    contactEmail: shop.contactEmail,
    locale: shop.locale,
    timeZone: shop.timeZone,
    status: shop.status,
    statusMessage: shop.statusMessage,
    hasWebhook: Boolean(shop.webhookTokenHash),
    createdAt: shop.createdAt,
    nextSyncAt: shop.nextSyncAt,
    provider: provider
      ? {
          kind: provider.provider,
          status: provider.status,
          statusMessage: provider.statusMessage,
          keyLast4: provider.apiKeyLast4,
          accountLabel: provider.accountLabel,
          audienceName: provider.audienceName,
        }
      : null,
    lastSync: run
      ? {
          id: run.id,
          status: run.status,
          trigger: run.trigger,
          queuedAt: run.queuedAt,
          startedAt: run.startedAt,
          finishedAt: run.finishedAt,
          progressDone: run.progressDone,
          progressTotal: run.progressTotal,
          counts: numericCounts(run.counts),
          errorCode: run.errorCode,
          errorMessage: run.errorMessage,
        }
      : null,
    pendingCampaigns: Number(pending ?? 0),
    lastWebhook: hook ? { event: hook.event, outcome: hook.outcome, receivedAt: hook.at } : null,
    lastError: shop.statusMessage ?? brokenProvider ?? failedRun ?? null,
  };
}

/** One page of shops with their health, ordered by name, and how many shops match in all. */
export async function listShopHealth(db: Db, search: ShopSearch): Promise<ShopPage> {
  const where = searchFilter(search);
  const offset = (search.page - 1) * search.pageSize;
  const rows = await selectHealth(db, where, search.pageSize, offset);
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && offset > 0) {
    // Past the last page the window count has no row to ride on.
    const [counted] = await db.select({ n: sql<number>`count(*)` }).from(shops).where(where);
    total = Number(counted?.n ?? 0);
  }
  return { items: rows.map(toHealth), total, page: search.page, pageSize: search.pageSize };
}

export async function getShopHealth(db: Db, shopId: string): Promise<ShopHealth> {
  if (!UUID.test(shopId)) throw new AppError("NOT_FOUND", "shop not found");
  const [row] = await selectHealth(db, eq(shops.id, shopId), 1, 0);
  if (!row) throw new AppError("NOT_FOUND", "shop not found");
  return toHealth(row);
}
