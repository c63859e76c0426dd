/**
 * Webhook intake: the shop found by its token hash, the delivery recorded, and for an opened order
 * cycle the campaign rows created, all committed before OFN gets its 2xx. No provider call here.
 *
 * Exactly once rests on unique constraints, not on reads: (shop, delivery id) absorbs OFN's retries,
 * and (shop, order cycle, opened_at, kind) absorbs the second owner's delivery and replicas
 * receiving at the same moment. Two statements at most (one for a duplicate), each committed on its
 * own: a crash between them leaves the delivery "received", and OFN's retry (no 2xx was sent)
 * finishes the job, because a delivery still "received" is processed again.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
import { readShopSettings } from "../shops/settings.js";
import { type AnnounceEnterprise, decideAnnouncement } from "./announce-rule.js";
import { type ExistingCampaign, type NewCampaign, planOpening } from "./opening-plan.js";
import { type ParsedDelivery, parseDelivery } from "./payload.js";
import { hashWebhookToken, TOKEN_SHAPE } from "./tokens.js";

export type IntakeStatus = "accepted" | "duplicate" | "ignored";

export interface RecordedDelivery {
  status: IntakeStatus;
  /** The stored outcome: accepted | duplicate | ignored | not_announced:<reason>. */
  outcome: string;
  /** Campaign rows created by this delivery. */
  campaignIds: string[];
  /** Whether one of them is due now (the caller may wake a worker). */
  dueNow: boolean;
}

export type IntakeResult =
  | { kind: "unknown_token" }
  | { kind: "invalid_json" }
  | { kind: "invalid"; message: string }
  | ({ kind: "recorded"; shopId: string } & RecordedDelivery);

/** The whole webhook request, minus HTTP: the token from the path and the raw body. */
export async function receiveWebhook(
  deps: { db: Db },
  input: { token: string; rawBody: string },
): Promise<IntakeResult> {
  if (!TOKEN_SHAPE.test(input.token)) return { kind: "unknown_token" };
  let body: unknown;
  try {
    body = JSON.parse(input.rawBody);
  } catch {
    return { kind: "invalid_json" };
  }
  const parsed = parseDelivery(body);
  if (!parsed.ok) return { kind: "invalid", message: parsed.message };
  const shop = sql`s.webhook_token_hash = ${hashWebhookToken(input.token)}`;
  const recorded = await recordDelivery(deps, shop, parsed.delivery, body);
  return recorded ? { kind: "recorded", ...recorded } : { kind: "unknown_token" };
}

interface FirstRow extends Record<string, unknown> {
  shop_id: string;
  settings: unknown;
  enterprises: AnnounceEnterprise[] | string;
  delivery_row: string;
  inserted: boolean;
  outcome: string;
  existing: Array<Omit<ExistingCampaign, "openedAt"> & { openedAt: string }> | string | null;
}

const json = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);

/**
 * Records one delivery for the shop selected by `shopWhere` (a condition on `shops s`); undefined
 * when no shop matches. Also used by "simulate order cycle opened" (selected by id).
 */
export async function recordDelivery(
  deps: { db: Db },
  shopWhere: SQL,
  delivery: ParsedDelivery,
  payload: unknown,
  options: { simulated?: boolean; now?: Date } = {},
): Promise<(RecordedDelivery & { shopId: string }) | undefined> {
  const oc = delivery.orderCycle;
  // For an opened cycle this statement is never the last write before the 2xx: the campaign
  // statement commits synchronously after it, which flushes this one too (WAL is sequential), and
  // a retry is answered "duplicate" only from an outcome that statement wrote. So it may skip the
  // flush. An ignored event's statement is its last write: flushed as usual.
  const flush = oc ? sql`select set_config('synchronous_commit', 'off', true)` : sql`select ''`;
  const [first] = await queryRows<FirstRow>(
    deps.db,
    sql`with commit_mode as (${flush} as mode), s as (
          select s.id, s.settings,
            coalesce((select json_agg(json_build_object('enterpriseId', e.enterprise_id, 'name', e.name,
                        'shopUrl', e.shop_url, 'announceCycles', e.announce_cycles))
                      from shop_enterprises e where e.shop_id = s.id), '[]'::json) as enterprises
          from shops s where ${shopWhere}
        ), d as (
          insert into webhook_deliveries (shop_id, delivery_id, event, order_cycle_id, opened_at, payload, outcome)
          select s.id, ${delivery.deliveryId}, ${delivery.event}, ${oc?.id ?? null}::int, ${oc ? new Date(oc.openedAt).toISOString() : null}::timestamptz,
                 ${JSON.stringify(payload)}::jsonb, ${oc ? "received" : "ignored"} from s
          on conflict (shop_id, delivery_id) do update set
            received_count = webhook_deliveries.received_count + 1, last_received_at = now()
          returning id, (xmax = 0) as inserted, outcome
        )
        select s.id as shop_id, s.settings, s.enterprises, d.id as delivery_row, d.inserted, d.outcome,
          (select json_agg(json_build_object('id', c.id, 'kind', c.kind, 'status', c.status,
                    'openedAt', c.opened_at, 'orderCycle', c.order_cycle))
           from campaigns c where c.shop_id = s.id and c.order_cycle_id = ${oc?.id ?? null}::int) as existing
        from s join d on true join commit_mode on true`,
  );
  if (!first) return undefined;
  const shopId = first.shop_id;
  const done = (status: IntakeStatus, outcome: string) => ({
    shopId,
    status,
    outcome,
    campaignIds: [],
    dueNow: false,
  });
  // "received" is a delivery whose processing never finished (a crash): OFN's retry completes it.
  if (!first.inserted && first.outcome !== "received") return done("duplicate", "duplicate");
  if (!oc) return done("ignored", "ignored");

  const settings = readShopSettings(first.settings).campaigns;
  const now = options.now ?? new Date();
  const plan = planOpening({
    orderCycle: oc,
    settings,
    rule: decideAnnouncement(json(first.enterprises), oc.coordinatorId, settings.excludedCoordinatorIds),
    existing: (json(first.existing) ?? []).map((c) => ({ ...c, openedAt: new Date(c.openedAt) })),
    now,
    deliveryId: delivery.deliveryId,
    simulated: options.simulated ?? false,
  });
  if (plan.cancelLastCalls.length > 0) await cancelLastCalls(deps.db, plan.cancelLastCalls, now);
  const created = await insertCampaigns(deps.db, shopId, plan.create, {
    deliveryRow: first.delivery_row,
    planned: plan.outcome,
    // Only the request that stored the delivery writes its outcome, unless it made the campaign.
    mayWriteOutcome: first.inserted,
  });
  const announced = created.some((c) => c.kind === "announcement");
  const outcome = plan.announce && !announced ? "duplicate" : plan.outcome;
  const status: IntakeStatus =
    outcome === "accepted" ? "accepted" : outcome === "duplicate" ? "duplicate" : "ignored";
  const createdKinds = new Set(created.map((c) => c.kind));
  const dueNow =
    plan.cancelLastCalls.length > 0 || plan.create.some((c) => createdKinds.has(c.kind) && c.runAt <= now);
  return { shopId, status, outcome, campaignIds: created.map((c) => c.id), dueNow };
}

/**
 * Inserts the planned campaigns and writes the delivery's outcome in one statement: "accepted"
 * when this request created the announcement, else what the plan said ("duplicate" when another
 * delivery of the same opening got there first).
 */
async function insertCampaigns(
  db: Db,
  shopId: string,
  rows: NewCampaign[],
  outcome: { deliveryRow: string; planned: string; mayWriteOutcome: boolean },
): Promise<Array<{ id: string; kind: string }>> {
  const values = rows.length
    ? sql.join(
        rows.map(
          (r) =>
            sql`(${shopId}::uuid, ${r.kind}, ${r.orderCycleId}::int, ${r.openedAt.toISOString()}::timestamptz,
                 ${JSON.stringify(r.orderCycle)}::jsonb, ${r.runAt.toISOString()}::timestamptz, ${JSON.stringify(r.details)}::jsonb)`,
        ),
        sql`, `,
      )
    : sql`(null::uuid, null::text, null::int, null::timestamptz, null::jsonb, null::timestamptz, null::jsonb)`;
  const fallback = outcome.planned === "accepted" ? "duplicate" : outcome.planned;
  const [row] = await queryRows<{ created: Array<{ id: string; kind: string }> | string | null }>(
    db,
    sql`with c as (
          insert into campaigns (shop_id, kind, order_cycle_id, opened_at, order_cycle, run_at, details)
          select * from (values ${values}) as v(shop_id, kind, order_cycle_id, opened_at, order_cycle, run_at, details)
          where v.shop_id is not null
          on conflict do nothing
          returning id, kind
        ), o as (
          update webhook_deliveries set outcome =
            case when exists (select 1 from c where c.kind = 'announcement') then 'accepted' else ${fallback} end
          where id = ${outcome.deliveryRow}
            and (exists (select 1 from c where c.kind = 'announcement') or (${outcome.mayWriteOutcome}::boolean and outcome = 'received'))
          returning id
        )
        select (select json_agg(json_build_object('id', c.id, 'kind', c.kind)) from c) as created,
               (select count(*) from o) as updated`,
  );
  return json(row?.created ?? null) ?? [];
}

async function cancelLastCalls(db: Db, ids: string[], now: Date): Promise<void> {
  // A last call still waiting is simply dropped; one already handed to the provider is cancelled
  // there by the worker.
  await db.execute(sql`update campaigns set
      status = case when status = 'pending' and provider_campaign_id is null then 'cancelled' else 'cancelling' end,
      run_at = ${now.toISOString()}::timestamptz, error_code = 'REOPENED', error_message = 'The order cycle re-opened with other dates.',
      updated_at = ${now.toISOString()}::timestamptz
    where id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )}) and status in ('pending', 'created', 'content_set', 'scheduled')`);
}

/** For callers that hold a shop id rather than a token (the "simulate" button). */
export function shopById(shopId: string): SQL {
  return sql`s.id = ${shopId}::uuid`;
}
