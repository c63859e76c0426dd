/**
 * sync_runs as a queue: enqueue is idempotent (one active run per shop, by a partial unique
 * index), workers claim with FOR UPDATE SKIP LOCKED and hold a lease; a run whose lease expired
 * (its process died) is claimed again and resumes.
 */
import { and, eq, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
import { syncRuns } from "../db/schema/index.js";

export type SyncRunRow = typeof syncRuns.$inferSelect;
export type SyncTrigger = "schedule" | "manual" | "cli" | "admin";

export const MAX_SYNC_ATTEMPTS = 5;

/** Queues a sync unless one is already queued or running; returns the active run either way. */
export async function enqueueSync(
  db: Db,
  shopId: string,
  trigger: SyncTrigger,
): Promise<{ run: SyncRunRow; created: boolean }> {
  const inserted = await db
    .insert(syncRuns)
    .values({ shopId, trigger })
    .onConflictDoNothing({
      target: syncRuns.shopId,
      where: sql`status in ('queued', 'running')`,
    })
    .returning();
  if (inserted[0]) return { run: inserted[0], created: true };
  const [active] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.shopId, shopId), sql`${syncRuns.status} in ('queued', 'running')`))
    .limit(1);
  if (active) return { run: active, created: false };
  // The active run finished between the two statements: try once more.
  return enqueueSync(db, shopId, trigger);
}

/** Transaction-scoped advisory lock taken by every sync claim (any number in our own key space). */
const SYNC_CLAIM_LOCK_ID = 7_246_902;

/**
 * Claims the oldest runnable run: queued, or running with an expired lease. `maxRunning` caps
 * syncs running at once across every replica (MAX_CONCURRENT_SYNCS), checked at claim time.
 */
export async function claimSyncRun(
  db: Db,
  owner: string,
  leaseMs: number,
  maxRunning: number,
  onlyRunId?: string,
): Promise<SyncRunRow | undefined> {
  const only = onlyRunId ? sql`and r.id = ${onlyRunId}` : sql``;
  // The running count below is read from the statement's snapshot, so claims racing from two
  // replicas both saw "one slot left" and the cap was exceeded (test/replicas/sync-cap.test.ts).
  // Claims are rare (one per run), so they simply take turns: the lock is held for this one
  // short transaction, and the next claimer's snapshot sees the previous claim committed.
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SYNC_CLAIM_LOCK_ID})`);
    return queryRows<{ id: string }>(
      tx as unknown as Db,
      sql`update sync_runs set
          status = 'running',
          lease_owner = ${owner},
          lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}),
          attempts = attempts + 1,
          started_at = coalesce(started_at, now())
        where id = (
          select r.id from sync_runs r
          join shops s on s.id = r.shop_id and s.status = 'active'
          where (r.status = 'queued' or (r.status = 'running' and r.lease_expires_at < now()))
            and (select count(*) from sync_runs x where x.status = 'running' and x.lease_expires_at >= now()) < ${maxRunning}
            ${only}
          order by r.queued_at
          for update of r skip locked
          limit 1
        )
        returning id`,
    );
  });
  const id = rows[0]?.id;
  if (!id) return undefined;
  const [run] = await db.select().from(syncRuns).where(eq(syncRuns.id, id));
  return run;
}

/** Extends the lease; false when another worker took the run over (this one must stop). */
export async function getSyncRun(db: Db, runId: string): Promise<SyncRunRow | undefined> {
  const [run] = await db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  return run;
}

export async function renewSyncLease(
  db: Db,
  runId: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await db
    .update(syncRuns)
    .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.leaseOwner, owner), eq(syncRuns.status, "running")))
    .returning({ id: syncRuns.id });
  return rows.length > 0;
}

export async function reportSyncProgress(
  db: Db,
  runId: string,
  owner: string,
  progress: { done: number; total: number; counts?: Record<string, number> },
): Promise<void> {
  await db
    .update(syncRuns)
    .set({
      progressDone: progress.done,
      progressTotal: progress.total,
      ...(progress.counts ? { counts: progress.counts } : {}),
    })
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.leaseOwner, owner)));
}

export async function finishSyncRun(
  db: Db,
  runId: string,
  owner: string,
  outcome: {
    status: "succeeded" | "failed";
    counts?: Record<string, number>;
    invalidEmails?: unknown[];
    warnings?: string[];
    errorCode?: string;
    errorMessage?: string;
  },
): Promise<void> {
  await db
    .update(syncRuns)
    .set({
      status: outcome.status,
      finishedAt: new Date(),
      leaseOwner: null,
      leaseExpiresAt: null,
      ...(outcome.counts ? { counts: outcome.counts } : {}),
      ...(outcome.invalidEmails ? { invalidEmails: outcome.invalidEmails } : {}),
      ...(outcome.warnings ? { warnings: outcome.warnings } : {}),
      errorCode: outcome.errorCode ?? null,
      errorMessage: outcome.errorMessage ?? null,
    })
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.leaseOwner, owner)));
}
