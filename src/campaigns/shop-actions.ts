/**
 * The setup page's campaign buttons: "send me a test", "simulate order cycle opened" and "retry".
 * OFN has no test button for order_cycle.opened (ofn.md §2.7), so the bridge brings its own.
 */
import { randomInt, randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { campaigns } from "../db/schema/index.js";
import { AppError } from "../errors.js";
import type { CampaignRow } from "../jobs/campaign-queue.js";
import { runOneCampaign } from "../jobs/campaign-worker.js";
import { loadShopContext } from "../shops/context.js";
import type { CampaignDeps, CampaignDetails } from "./executor-types.js";
import { type RecordedDelivery, recordDelivery } from "./intake.js";
import type { OrderCycleData } from "./payload.js";
import { ORDER_CYCLE_OPENED } from "./payload.js";

const DAY_MS = 24 * 3_600_000;

/** An order cycle that opened a moment ago and closes in a week, named like a real one. */
export function sampleOrderCycle(
  now: Date,
  coordinator: { id: number; name: string },
  id = 0,
): OrderCycleData {
  const openedAt = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
  return {
    id,
    name: "Sample order cycle",
    ordersOpenAt: openedAt,
    openedAt,
    ordersCloseAt: new Date(Date.parse(openedAt) + 7 * DAY_MS).toISOString(),
    coordinatorId: coordinator.id,
    coordinatorName: coordinator.name,
  };
}

function firstAnnouncing(context: Awaited<ReturnType<typeof loadShopContext>>) {
  const enterprise =
    context.enterprises.filter((e) => e.announceCycles).sort((a, b) => a.enterpriseId - b.enterpriseId)[0] ??
    context.enterprises[0];
  return enterprise
    ? { id: enterprise.enterpriseId, name: enterprise.name }
    : { id: 1, name: context.shop.name || "OFN" };
}

/**
 * Sends the provider's test email of the shop's template (sample order cycle) to `emails`, or to
 * the shop's test addresses. Runs at once in this request and returns the campaign row: a failure
 * (unverified sender, ...) is in its errorMessage, a checklist warning in details.checkWarning.
 */
export async function sendTestCampaign(
  deps: CampaignDeps & { owner: string },
  shopId: string,
  emails?: string[],
): Promise<CampaignRow> {
  const context = await loadShopContext(deps, shopId);
  const coordinator = firstAnnouncing(context);
  const oc = sampleOrderCycle(deps.now?.() ?? new Date(), coordinator);
  const details: CampaignDetails = {
    deliveryId: `test-${randomUUID()}`,
    enterpriseId: coordinator.id,
    viaDistributor: false,
    ...(emails?.length ? { testEmails: emails } : {}),
  };
  const [row] = await deps.db
    .insert(campaigns)
    .values({
      shopId,
      kind: "test",
      orderCycleId: 0,
      // Unique per click: the once-only key must never merge two tests.
      openedAt: new Date(),
      orderCycle: oc,
      details,
    })
    .returning({ id: campaigns.id });
  if (!row) throw new AppError("INTERNAL", "could not record the test campaign");
  await runOneCampaign(deps, { owner: deps.owner, campaignId: row.id });
  return getCampaign(deps, shopId, row.id);
}

/**
 * Runs a made-up `order_cycle.opened` through the same intake as OFN's, so the shop sees its
 * enterprise choices, template and provider at work. The campaign is left as a draft in the
 * provider and a test email goes to the shop: customers receive nothing.
 */
export async function simulateOrderCycleOpened(
  deps: CampaignDeps,
  shopId: string,
): Promise<RecordedDelivery & { orderCycle: OrderCycleData }> {
  const context = await loadShopContext(deps, shopId);
  // A negative id can never be a real OFN cycle, and a new one per click is never a "re-opening".
  const oc = sampleOrderCycle(
    deps.now?.() ?? new Date(),
    firstAnnouncing(context),
    -randomInt(1, 2 ** 31 - 1),
  );
  const deliveryId = `simulated-${randomUUID()}`;
  const payload = {
    id: deliveryId,
    event: ORDER_CYCLE_OPENED,
    data: {
      id: oc.id,
      name: oc.name,
      orders_open_at: oc.ordersOpenAt,
      opened_at: oc.openedAt,
      orders_close_at: oc.ordersCloseAt,
      coordinator_id: oc.coordinatorId,
      coordinator_name: oc.coordinatorName,
    },
  };
  const recorded = await recordDelivery(deps, {
    shop: { shopId },
    delivery: { event: ORDER_CYCLE_OPENED, deliveryId, orderCycle: oc },
    payload,
    simulated: true,
  });
  if (!recorded) throw new AppError("NOT_FOUND", "shop not found");
  return { ...recorded, orderCycle: oc };
}

/** "Retry" on a failed campaign: resumes from the step it failed at, with a fresh attempt budget. */
export async function retryCampaign(deps: Pick<CampaignDeps, "db">, shopId: string, campaignId: string) {
  const row = await getCampaign(deps, shopId, campaignId);
  if (row.status !== "failed") throw new AppError("CONFLICT", "Only a failed campaign can be retried.");
  const details = (row.details ?? {}) as CampaignDetails;
  const resumeAt = ["pending", "created", "content_set"].includes(details.failedAtStatus ?? "")
    ? (details.failedAtStatus as string)
    : "pending";
  const { failedAtStatus: _dropped, ...rest } = details;
  const [updated] = await deps.db
    .update(campaigns)
    .set({
      status: resumeAt,
      attempts: 0,
      runAt: sql`now()`,
      errorCode: null,
      errorMessage: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      details: rest,
      updatedAt: new Date(),
    })
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.shopId, shopId), eq(campaigns.status, "failed")))
    .returning();
  if (!updated) throw new AppError("CONFLICT", "Only a failed campaign can be retried.");
  return updated;
}

/** One campaign of one shop; another shop's id answers NOT_FOUND. */
export async function getCampaign(deps: Pick<CampaignDeps, "db">, shopId: string, campaignId: string) {
  const [row] = await deps.db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.shopId, shopId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "No such campaign.");
  return row;
}
