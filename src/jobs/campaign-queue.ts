/**
 * campaigns as a queue. A row is runnable while its status is not final, its run_at has come and
 * no live lease holds it. Workers claim with FOR UPDATE SKIP LOCKED; every step write is guarded
 * by the lease owner, so a worker that lost its lease (paused, then taken over) writes nothing.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { preparedOnce } from "../db/prepared.js";
import { campaigns } from "../db/schema/index.js";
import { metrics } from "../metrics.js";

export type CampaignRow = typeof campaigns.$inferSelect;

/** States the executor still has work in; everything else is final. */
export const ACTIVE_STATUSES = ["pending", "created", "content_set", "cancelling"] as const;
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];
export type FinalStatus = "sent" | "scheduled" | "draft" | "failed" | "cancelled";

const activeList = sql.raw(ACTIVE_STATUSES.map((s) => `'${s}'`).join(", "));

function leaseUntil(leaseMs: number) {
  return sql`now() + make_interval(secs => ${leaseMs / 1000})`;
}

/**
 * Added to a write's WHERE clause: its commit does not wait for the WAL flush (synchronous_commit
 * off, for this transaction only). Only for writes that a run can redo from what an earlier, flushed
 * write recorded, should PostgreSQL itself crash before flushing them: a claim (the lease lost,
 * taken again), "created" (found again by title: createAttemptedAt was flushed before the create),
 * a final status after sendAttemptedAt (asked from the provider). A later flushed write flushes
 * them too (the WAL is sequential). Evaluated on the row found, so a write that matches nothing
 * changes nothing.
 */
const NO_FLUSH_WAIT = sql`set_config('synchronous_commit', 'off', true) = 'off'`;

/**
 * A campaign run's statements are a handful of fixed texts, built once per database handle
 * (preparedOnce) and prepared on each connection once: PostgreSQL parses and plans them once
 * (planning was a fifth of its time in the webhook bench). The name is drizzle's switch for a
 * server-side prepared statement; postgres.js keys it by the text.
 */
export const PREPARED = "campaign-run";

const leaseFromPlaceholder = sql`now() + make_interval(secs => ${sql.placeholder("leaseSecs")})`;

const claimStatement = (db: Db, byId: boolean) =>
  preparedOnce(db, byId ? "campaign-claim-id" : "campaign-claim", () =>
    db
      .update(campaigns)
      .set({
        // A placeholder goes through the column's encoder like a value (drizzle's types only say values).
        leaseOwner: sql.placeholder("owner") as unknown as string,
        leaseExpiresAt: leaseFromPlaceholder,
        attempts: sql`${campaigns.attempts} + 1`,
        updatedAt: sql`now()`,
      })
      .where(
        sql`${campaigns.id} = (
            select c.id from campaigns c
            where c.status in (${activeList}) and c.run_at <= now()
              and (c.lease_expires_at is null or c.lease_expires_at < now())
              ${byId ? sql`and c.id = ${sql.placeholder("id")}` : sql``}
            order by c.run_at
            for update skip locked
            limit 1
          ) and ${NO_FLUSH_WAIT}`,
      )
      .returning()
      .prepare(PREPARED),
  );

/** Claims the campaign due first (or the one named by `id`); undefined when none is runnable. */
export async function claimCampaign(
  db: Db,
  owner: string,
  leaseMs: number,
  id?: string,
): Promise<CampaignRow | undefined> {
  // One statement: the row is locked, leased and returned whole.
  const [row] = await claimStatement(db, id !== undefined).execute({ owner, leaseSecs: leaseMs / 1000, id });
  return row;
}

export type StepPatch = Partial<
  Pick<
    CampaignRow,
    | "status"
    | "provider"
    | "providerCampaignId"
    | "providerUrl"
    | "subject"
    | "scheduledFor"
    | "sentAt"
    | "errorCode"
    | "errorMessage"
    | "details"
  >
>;

/**
 * One statement per shape of patch (which fields, which of them null, redoable or not): the
 * executor writes a few fixed shapes. Nulls are written as literals, since drizzle does not pass
 * a placeholder's null through the column's encoder check.
 */
function stepStatement(db: Db, patch: StepPatch, redoable: boolean) {
  const fields = Object.entries(patch).filter(([, value]) => value !== undefined);
  const shape = fields.map(([key, value]) => (value === null ? `${key}=null` : key)).join(",");
  return preparedOnce(db, `campaign-step:${shape}:${redoable}`, () => {
    const set: Record<string, unknown> = {};
    for (const [key, value] of fields) set[key] = value === null ? sql`null` : sql.placeholder(key);
    return db
      .update(campaigns)
      .set({ ...(set as StepPatch), leaseExpiresAt: leaseFromPlaceholder, updatedAt: sql`now()` })
      .where(
        and(
          eq(campaigns.id, sql.placeholder("id")),
          eq(campaigns.leaseOwner, sql.placeholder("owner")),
          redoable ? NO_FLUSH_WAIT : undefined,
        ),
      )
      .returning({ id: campaigns.id })
      .prepare(PREPARED);
  });
}

/**
 * Writes one step's outcome and renews the lease. False when this worker no longer holds the
 * lease: it must stop at once, another worker continues from what is recorded. `redoable`: see
 * NO_FLUSH_WAIT; the caller vouches that losing this write to a database crash is recoverable.
 */
export async function recordStep(
  db: Db,
  id: string,
  owner: string,
  leaseMs: number,
  patch: StepPatch,
  options: { redoable?: boolean } = {},
): Promise<boolean> {
  const rows = await stepStatement(db, patch, options.redoable ?? false).execute({
    ...patch,
    id,
    owner,
    leaseSecs: leaseMs / 1000,
  });
  if (rows.length > 0) countFinal(patch.status);
  return rows.length > 0;
}

/** Extends the lease while a step's provider call runs; false once another worker owns the row. */
export async function renewCampaignLease(
  db: Db,
  id: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await db
    .update(campaigns)
    .set({ leaseExpiresAt: leaseUntil(leaseMs) })
    .where(and(eq(campaigns.id, id), eq(campaigns.leaseOwner, owner)))
    .returning({ id: campaigns.id });
  return rows.length > 0;
}

/** bridge_campaigns_total: counted where a row becomes final, once (the write is lease-guarded). */
function countFinal(status: string | undefined): void {
  if (status && !(ACTIVE_STATUSES as readonly string[]).includes(status))
    metrics.campaigns.inc({ outcome: status });
}

/** Gives the row back: final (status set) or to be retried at `runAt`. */
export async function releaseCampaign(
  db: Db,
  id: string,
  owner: string,
  patch: StepPatch & { runAt?: Date },
): Promise<void> {
  const rows = await db
    .update(campaigns)
    .set({ ...patch, leaseOwner: null, leaseExpiresAt: null, updatedAt: new Date() })
    .where(and(eq(campaigns.id, id), eq(campaigns.leaseOwner, owner)))
    .returning({ id: campaigns.id });
  if (rows.length > 0) countFinal(patch.status);
}
