/**
 * What one opening of an order cycle should change, decided from the shop's settings and the
 * campaigns already recorded for that cycle. Pure: the intake runs it under its lock.
 */
import type { CampaignSettings } from "../shops/settings.js";
import type { AnnounceDecision } from "./announce-rule.js";
import type { CampaignKind } from "./default-templates.js";
import type { OrderCycleData } from "./payload.js";

export interface ExistingCampaign {
  id: string;
  kind: string;
  status: string;
  openedAt: Date;
  orderCycle: unknown;
}

export interface NewCampaign {
  kind: CampaignKind;
  orderCycleId: number;
  openedAt: Date;
  orderCycle: OrderCycleData;
  runAt: Date;
  details: CampaignOrigin;
}

/** Where a campaign came from (campaigns.details, next to the executor's step records). */
export interface CampaignOrigin {
  deliveryId: string;
  /** The shop's enterprise whose name and shop URL the newsletter uses. */
  enterpriseId: number;
  viaDistributor: boolean;
  /** "Simulate order cycle opened": a draft plus a test mail, never a send to customers. */
  simulated?: boolean;
}

export interface OpeningPlan {
  announce: boolean;
  /** accepted | duplicate | not_announced:<reason> */
  outcome: string;
  create: NewCampaign[];
  cancelLastCalls: string[];
}

/** Statuses in which a last call has not gone out yet and can still be called off. */
const LIVE = new Set(["pending", "created", "content_set", "scheduled"]);
const HOUR_MS = 3_600_000;

export function planOpening(input: {
  orderCycle: OrderCycleData;
  settings: CampaignSettings;
  rule: AnnounceDecision;
  existing: ExistingCampaign[];
  now: Date;
  deliveryId: string;
  simulated: boolean;
}): OpeningPlan {
  const { orderCycle: oc, settings, rule, existing, now } = input;
  const nothing = (outcome: string): OpeningPlan => ({
    announce: false,
    outcome,
    create: [],
    cancelLastCalls: [],
  });
  if (!settings.enabled) return nothing("not_announced:campaigns_off");
  if (!rule.announce) return nothing(`not_announced:${rule.reason}`);
  const openedAt = new Date(oc.openedAt);
  const announcements = existing.filter((c) => c.kind === "announcement");
  if (announcements.some((c) => c.openedAt.getTime() === openedAt.getTime())) return nothing("duplicate");
  // OFN retries can deliver an earlier opening after a later one: the later one is the truth.
  if (existing.some((c) => c.kind !== "test" && c.openedAt > openedAt))
    return nothing("not_announced:superseded");

  const reopening = announcements.length > 0;
  const announce = !reopening || settings.announceReopenings;
  const origin: CampaignOrigin = {
    deliveryId: input.deliveryId,
    enterpriseId: rule.enterprise.enterpriseId,
    viaDistributor: rule.viaDistributor,
    ...(input.simulated ? { simulated: true } : {}),
  };
  const base = { orderCycleId: oc.id, openedAt, orderCycle: oc, details: origin };
  const create: NewCampaign[] = announce ? [{ ...base, kind: "announcement", runAt: now }] : [];

  // A last call belongs to a closing time: keep it while the close date stands, replace it when it moved.
  const cancelLastCalls: string[] = [];
  let closeUnchanged = false;
  for (const c of existing) {
    if (c.kind !== "last_call" || !LIVE.has(c.status)) continue;
    if (sameInstant(closeOf(c.orderCycle), oc.ordersCloseAt)) closeUnchanged = true;
    else cancelLastCalls.push(c.id);
  }
  if (settings.lastCallEnabled && oc.ordersCloseAt && !closeUnchanged && !input.simulated) {
    const runAt = new Date(new Date(oc.ordersCloseAt).getTime() - settings.lastCallHoursBefore * HOUR_MS);
    if (runAt > now) create.push({ ...base, kind: "last_call", runAt });
  }
  return {
    announce,
    outcome: announce ? "accepted" : "not_announced:reopening_off",
    create,
    cancelLastCalls,
  };
}

function closeOf(orderCycle: unknown): string | null {
  const value = (orderCycle as { ordersCloseAt?: unknown } | null)?.ordersCloseAt;
  return typeof value === "string" ? value : null;
}

function sameInstant(a: string | null, b: string | null): boolean {
  return a === b || (a !== null && b !== null && Date.parse(a) === Date.parse(b));
}
