/**
 * Webhook intake: the shop found by its token hash, the delivery recorded, and for an opened order
 * cycle the campaign rows created, all committed before OFN gets its 2xx. No provider call here.
 *
 * Exactly once rests on unique constraints, not on reads: (shop, delivery id) absorbs OFN's retries,
 * and (shop, order cycle, opened_at, kind) absorbs the second owner's delivery and replicas
 * receiving at the same moment. Two statements at most (one for a duplicate), each committed on its
 * own: a crash between them leaves the delivery "received", and OFN's retry (no 2xx was sent)
 * finishes the job, because a delivery still "received" is processed again.
 *
 * Deliveries are recorded in batches: those that arrive while a batch is in the database wait and
 * go together in the next one, through the same two statements (a burst of 10,000 deliveries costs
 * a few hundred statements, not 20,000). A lone delivery is a batch of one, sent at once.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
import type { Logger } from "../logger.js";
import { metrics } from "../metrics.js";
import { readShopSettings } from "../shops/settings.js";
import { type AnnounceEnterprise, decideAnnouncement } from "./announce-rule.js";
import { type ExistingCampaign, type NewCampaign, type OpeningPlan, planOpening } from "./opening-plan.js";
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

/** The shop a delivery belongs to: by its webhook token's hash, or by id ("simulate"). */
export type ShopRef = { tokenHash: string } | { shopId: string };

export interface IntakeItem {
  shop: ShopRef;
  delivery: ParsedDelivery;
  payload: unknown;
  simulated?: boolean;
  now?: Date;
}

export type Recorded = (RecordedDelivery & { shopId: string }) | undefined;

/** The whole webhook request, minus HTTP: the token from the path and the raw body. */
export async function receiveWebhook(
  deps: { db: Db; intake?: IntakeQueue },
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
  const item: IntakeItem = {
    shop: { tokenHash: hashWebhookToken(input.token) },
    delivery: parsed.delivery,
    payload: body,
  };
  const recorded = deps.intake ? await deps.intake.submit(item) : await recordDelivery(deps, item);
  return recorded ? { kind: "recorded", ...recorded } : { kind: "unknown_token" };
}

/** One delivery on its own (a batch of one); undefined when no shop matches. */
export async function recordDelivery(deps: { db: Db }, item: IntakeItem): Promise<Recorded> {
  const [result] = await recordDeliveries(deps, [item]);
  return result;
}

/**
 * Gathers deliveries into batches: while `maxInFlight` batches are in the database, new ones wait
 * and leave together. A batch that fails is retried one delivery at a time, so one delivery the
 * database refuses fails alone (its 5xx makes OFN retry it) and the others are answered.
 */
export class IntakeQueue {
  private waiting: Array<{ item: IntakeItem; done: (r: Recorded) => void; fail: (e: unknown) => void }> = [];
  private inFlight = 0;
  /** Batches sent, deliveries in them, and batches refused whole (then sent one by one), since start. */
  readonly stats = { batches: 0, deliveries: 0, split: 0 };

  constructor(
    private readonly deps: { db: Db; logger?: Logger },
    private readonly maxInFlight = 2,
    private readonly maxBatch = 250,
  ) {}

  submit(item: IntakeItem): Promise<Recorded> {
    return new Promise((done, fail) => {
      this.waiting.push({ item, done, fail });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight += 1;
      this.stats.batches += 1;
      this.stats.deliveries += batch.length;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async run(batch: IntakeQueue["waiting"]): Promise<void> {
    try {
      const results = await recordDeliveries(
        this.deps,
        batch.map((b) => b.item),
      );
      batch.forEach((b, i) => {
        b.done(results[i]);
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.fail(error);
        return;
      }
      this.stats.split += 1;
      metrics.intakeBatchesSplit.inc();
      this.deps.logger?.warn(
        { err: error, deliveries: batch.length },
        "delivery batch refused whole; recording its deliveries one at a time",
      );
      for (const b of batch) await recordDelivery(this.deps, b.item).then(b.done, b.fail);
    }
  }
}

interface FirstRow extends Record<string, unknown> {
  idx: number;
  shop_id: string;
  settings: unknown;
  enterprises: AnnounceEnterprise[] | string;
  delivery_row: string;
  inserted: boolean;
  outcome: string;
  existing: Array<Omit<ExistingCampaign, "openedAt"> & { openedAt: string }> | string | null;
}

const json = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);

const shopKey = (ref: ShopRef) => ("tokenHash" in ref ? `t:${ref.tokenHash}` : `s:${ref.shopId}`);

/**
 * Records deliveries, answering each in the order given. Copies of one delivery in the batch
 * (OFN retrying while the first is in flight) are stored once and answered "duplicate"; two
 * openings of one order cycle with different opened_at are recorded one after the other, because
 * the second one's plan depends on the first one's campaigns.
 */
export async function recordDeliveries(deps: { db: Db }, items: IntakeItem[]): Promise<Recorded[]> {
  const results: Recorded[] = new Array(items.length);
  const firstOf = new Map<string, number>();
  const copiesOf = new Map<number, number[]>();
  const openingOf = new Map<string, number>();
  const now: number[] = [];
  const later: number[] = [];
  items.forEach((item, i) => {
    const key = `${shopKey(item.shop)}|${item.delivery.deliveryId}`;
    const first = firstOf.get(key);
    if (first !== undefined) {
      copiesOf.get(first)!.push(i);
      return;
    }
    const oc = item.delivery.orderCycle;
    if (oc) {
      const cycle = `${shopKey(item.shop)}|${oc.id}`;
      const opened = openingOf.get(cycle);
      if (opened !== undefined && opened !== Date.parse(oc.openedAt)) {
        later.push(i);
        return;
      }
      openingOf.set(cycle, Date.parse(oc.openedAt));
    }
    firstOf.set(key, i);
    copiesOf.set(i, []);
    now.push(i);
  });

  const recorded = await recordBatch(
    deps,
    now.map((i) => ({ item: items[i]!, copies: 1 + copiesOf.get(i)!.length })),
  );
  now.forEach((i, n) => {
    results[i] = recorded[n];
    const shopId = recorded[n]?.shopId;
    for (const copy of copiesOf.get(i)!) {
      results[copy] = shopId
        ? { shopId, status: "duplicate", outcome: "duplicate", campaignIds: [], dueNow: false }
        : undefined;
    }
  });
  if (later.length > 0) {
    const rest = await recordDeliveries(
      deps,
      later.map((i) => items[i]!),
    );
    later.forEach((i, n) => {
      results[i] = rest[n];
    });
  }
  return results;
}

interface Planned {
  first: FirstRow;
  item: IntakeItem;
  plan: OpeningPlan;
  now: Date;
  /** The planned rows this delivery is the first in the batch to ask for. */
  owned: NewCampaign[];
}

/** Distinct deliveries, at most one opening per order cycle: the two statements. */
async function recordBatch(
  deps: { db: Db },
  entries: Array<{ item: IntakeItem; copies: number }>,
): Promise<Recorded[]> {
  if (entries.length === 0) return [];
  const input = entries.map(({ item, copies }, idx) => {
    const oc = item.delivery.orderCycle;
    return {
      idx,
      token_hash: "tokenHash" in item.shop ? item.shop.tokenHash : null,
      shop_id: "shopId" in item.shop ? item.shop.shopId : null,
      delivery_id: item.delivery.deliveryId,
      event: item.delivery.event,
      oc_id: oc?.id ?? null,
      opened_at: oc ? new Date(oc.openedAt).toISOString() : null,
      payload: item.payload,
      outcome: oc ? "received" : "ignored",
      copies,
    };
  });
  // For opened cycles this statement is never the last write before the 2xx: the campaign
  // statement commits synchronously after it, which flushes this one too (WAL is sequential), and
  // a retry is answered "duplicate" only from an outcome that statement wrote. So it may skip the
  // flush. An ignored event's statement is its last write: flushed as usual.
  const flush = entries.every((e) => e.item.delivery.orderCycle) ? "off" : "on";
  const firstRows = await queryRows<FirstRow>(
    deps.db,
    sql`with commit_mode as (select set_config('synchronous_commit', ${flush}, true) as mode),
        input as (
          select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as r(
            idx int, token_hash text, shop_id uuid, delivery_id text, event text, oc_id int,
            opened_at timestamptz, payload jsonb, outcome text, copies int)
        ), m as (
          select r.*, s.id as sid, s.settings from input r join shops s on s.webhook_token_hash = r.token_hash
          where r.shop_id is null
          union all
          select r.*, s.id as sid, s.settings from input r join shops s on s.id = r.shop_id
          where r.shop_id is not null
        ), d as (
          insert into webhook_deliveries
            (shop_id, delivery_id, event, order_cycle_id, opened_at, payload, outcome, received_count)
          select m.sid, m.delivery_id, m.event, m.oc_id, m.opened_at, m.payload, m.outcome, m.copies
          from m order by m.sid, m.delivery_id
          on conflict (shop_id, delivery_id) do update set
            received_count = webhook_deliveries.received_count + excluded.received_count, last_received_at = now()
          returning id, shop_id, delivery_id, (xmax = 0) as inserted, outcome
        )
        select m.idx, m.sid as shop_id, m.settings,
          coalesce((select json_agg(json_build_object('enterpriseId', e.enterprise_id, 'name', e.name,
                      'shopUrl', e.shop_url, 'announceCycles', e.announce_cycles))
                    from shop_enterprises e where e.shop_id = m.sid), '[]'::json) as enterprises,
          d.id as delivery_row, d.inserted, d.outcome,
          (select json_agg(json_build_object('id', c.id, 'kind', c.kind, 'status', c.status,
                    'openedAt', c.opened_at, 'orderCycle', c.order_cycle))
           from campaigns c where c.shop_id = m.sid and c.order_cycle_id = m.oc_id) as existing
        from m join d on d.shop_id = m.sid and d.delivery_id = m.delivery_id
        cross join commit_mode`,
  );

  const results: Recorded[] = new Array(entries.length);
  const planned: Planned[] = [];
  const owners = new Map<string, Planned>();
  for (const first of firstRows) {
    const idx = Number(first.idx);
    const item = entries[idx]!.item;
    const shopId = first.shop_id;
    const done = (status: IntakeStatus, outcome: string) => ({
      shopId,
      status,
      outcome,
      campaignIds: [],
      dueNow: false,
    });
    const oc = item.delivery.orderCycle;
    // "received" is a delivery whose processing never finished (a crash): OFN's retry completes it.
    if (!first.inserted && first.outcome !== "received") {
      results[idx] = done("duplicate", "duplicate");
      continue;
    }
    if (!oc) {
      results[idx] = done("ignored", "ignored");
      continue;
    }
    const settings = readShopSettings(first.settings).campaigns;
    const now = item.now ?? new Date();
    const plan = planOpening({
      orderCycle: oc,
      settings,
      rule: decideAnnouncement(json(first.enterprises), oc.coordinatorId, settings.excludedCoordinatorIds),
      existing: (json(first.existing) ?? []).map((c) => ({ ...c, openedAt: new Date(c.openedAt) })),
      now,
      deliveryId: item.delivery.deliveryId,
      simulated: item.simulated ?? false,
    });
    const entry: Planned = { first, item, plan, now, owned: [] };
    // Two owners' deliveries of one opening in the same batch plan the same rows: the first asks.
    for (const row of plan.create) {
      const key = campaignKey(shopId, row.kind, row.orderCycleId, row.openedAt);
      if (owners.has(key)) continue;
      owners.set(key, entry);
      entry.owned.push(row);
    }
    planned.push(entry);
  }
  for (const entry of planned) {
    if (entry.plan.cancelLastCalls.length > 0)
      await cancelLastCalls(deps.db, entry.plan.cancelLastCalls, entry.now);
  }
  const created = await insertCampaigns(deps.db, planned);
  for (const entry of planned) {
    const shopId = entry.first.shop_id;
    const mine = entry.owned.flatMap((row) => {
      const id = created.get(campaignKey(shopId, row.kind, row.orderCycleId, row.openedAt));
      return id ? [{ id, row }] : [];
    });
    const announced = mine.some((c) => c.row.kind === "announcement");
    const outcome = entry.plan.announce && !announced ? "duplicate" : entry.plan.outcome;
    const status: IntakeStatus =
      outcome === "accepted" ? "accepted" : outcome === "duplicate" ? "duplicate" : "ignored";
    const dueNow = entry.plan.cancelLastCalls.length > 0 || mine.some((c) => c.row.runAt <= entry.now);
    results[Number(entry.first.idx)] = {
      shopId,
      status,
      outcome,
      campaignIds: mine.map((c) => c.id),
      dueNow,
    };
  }
  return results;
}

const campaignKey = (shopId: string, kind: string, orderCycleId: number, openedAt: Date | string) =>
  `${shopId}|${kind}|${orderCycleId}|${new Date(openedAt).getTime()}`;

/**
 * Inserts the planned campaigns and writes each delivery's outcome in one statement: "accepted"
 * when its request created the announcement, else what its plan said ("duplicate" when another
 * delivery of the same opening got there first). Returns the created rows' ids by campaign key.
 */
async function insertCampaigns(db: Db, planned: Planned[]): Promise<Map<string, string>> {
  if (planned.length === 0) return new Map();
  const rows = planned
    .flatMap((entry) =>
      entry.owned.map((r) => ({
        shop_id: entry.first.shop_id,
        kind: r.kind,
        order_cycle_id: r.orderCycleId,
        opened_at: r.openedAt.toISOString(),
        order_cycle: r.orderCycle,
        run_at: r.runAt.toISOString(),
        details: r.details,
      })),
    )
    // One order for every writer, so that concurrent batches never wait on each other in a cycle.
    .sort((a, b) =>
      campaignKey(a.shop_id, a.kind, a.order_cycle_id, a.opened_at).localeCompare(
        campaignKey(b.shop_id, b.kind, b.order_cycle_id, b.opened_at),
      ),
    );
  const outcomes = planned.map((entry) => {
    const announcement = entry.owned.find((r) => r.kind === "announcement");
    return {
      delivery_row: entry.first.delivery_row,
      shop_id: entry.first.shop_id,
      order_cycle_id: announcement?.orderCycleId ?? null,
      opened_at: announcement?.openedAt.toISOString() ?? null,
      fallback: entry.plan.outcome === "accepted" ? "duplicate" : entry.plan.outcome,
      // Only the request that stored the delivery writes its outcome, unless it made the campaign.
      may_write: entry.first.inserted,
    };
  });
  const [row] = await queryRows<{
    created:
      | Array<{ id: string; shopId: string; kind: string; orderCycleId: number; openedAt: string }>
      | string
      | null;
  }>(
    db,
    // Locks in one order for every writer: the batch's shops (key share, as the foreign keys
    // would take it at the end), then its delivery rows sorted as the first statement writes
    // them, then the campaigns, sorted (above). Left to the plan, the outcome update locked
    // delivery rows in hash order after the inserts, and two batches in flight (copies of one
    // delivery, two owners of one opening) deadlocked now and then: a 1 s wait for PostgreSQL's
    // deadlock check, then the batch again one delivery at a time. The shops first, so that a shop
    // being deleted (its row locked, then its deliveries) makes the batch wait instead.
    sql`with locked_shops as (
          select s.id from shops s
          where s.id in ${uuidsIn([...new Set(outcomes.map((o) => o.shop_id))])}
          order by s.id
          for key share
        ), locked as (
          select w.id from webhook_deliveries w
          where w.id in ${uuidsIn(outcomes.map((o) => o.delivery_row))}
            and (select count(*) from locked_shops) >= 0
          order by w.shop_id, w.delivery_id
          for update
        ), v as (
          select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(
            shop_id uuid, kind text, order_cycle_id int, opened_at timestamptz, order_cycle jsonb,
            run_at timestamptz, details jsonb)
          -- An init plan: every lock above is taken before the first campaign row goes in.
          where (select count(*) from locked) >= 0
        ), c as (
          insert into campaigns (shop_id, kind, order_cycle_id, opened_at, order_cycle, run_at, details)
          select shop_id, kind, order_cycle_id, opened_at, order_cycle, run_at, details from v
          on conflict do nothing
          returning id, shop_id, kind, order_cycle_id, opened_at
        ), o as (
          select o.*, exists (select 1 from c where c.kind = 'announcement' and c.shop_id = o.shop_id
                     and c.order_cycle_id = o.order_cycle_id and c.opened_at = o.opened_at) as announced
          from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb) as o(
            delivery_row uuid, shop_id uuid, order_cycle_id int, opened_at timestamptz, fallback text,
            may_write boolean)
        ), u as (
          update webhook_deliveries w set outcome = case when o.announced then 'accepted' else o.fallback end
          from o
          where w.id = o.delivery_row and (o.announced or (o.may_write and w.outcome = 'received'))
            and (select count(*) from locked) >= 0
          returning w.id
        )
        select (select json_agg(json_build_object('id', c.id, 'shopId', c.shop_id, 'kind', c.kind,
                  'orderCycleId', c.order_cycle_id, 'openedAt', c.opened_at)) from c) as created,
               (select count(*) from u) as updated`,
  );
  const created = new Map<string, string>();
  for (const c of json(row?.created ?? null) ?? []) {
    created.set(campaignKey(c.shopId, c.kind, c.orderCycleId, c.openedAt), c.id);
  }
  return created;
}

/** `(select …)` of the given uuids, one JSON parameter whatever their number. */
const uuidsIn = (ids: string[]) =>
  sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`;

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
