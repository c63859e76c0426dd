/**
 * MAX_CONCURRENT_SYNCS is a cap across every replica: claims racing from two connection pools
 * (two replicas) never hold more running syncs than the cap, however they interleave.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../../src/db/client.js";
import { shops } from "../../src/db/schema/index.js";
import { claimSyncRun, enqueueSync, finishSyncRun } from "../../src/jobs/sync-queue.js";
import { createServerDatabase, openReplicaPool } from "./support.js";

describe("the global sync cap across replicas", () => {
  let first: Awaited<ReturnType<typeof createServerDatabase>>;
  let second: Database;
  beforeAll(async () => {
    first = await createServerDatabase();
    second = await openReplicaPool(first.url);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  async function queueRuns(count: number): Promise<void> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await first.db.insert(shops).values(
      ids.map((id) => ({
        id,
        ofnInstance: "https://ofn.example",
        ofnKeyLookup: `cap-${id}`,
        ofnApiKeySealed: "not-used-here",
        ofnApiKeyLast4: "0000",
      })),
    );
    for (const id of ids) await enqueueSync(first.db, id, "schedule");
  }

  const running = async () =>
    (
      await queryRows<{ n: number }>(
        first.db,
        sql`select count(*)::int as n from sync_runs where status = 'running' and lease_expires_at >= now()`,
      )
    )[0]?.n ?? 0;

  it("lets racing claimers of two replicas take exactly the cap, then one more per finished run", async () => {
    const cap = 3;
    await queueRuns(30);
    // 24 claims at once, half through each replica's pool, for 30 queued runs and a cap of 3.
    const claims = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        claimSyncRun((i % 2 === 0 ? first : second).db, `replica-${i % 2}:worker-${i}`, 60_000, cap),
      ),
    );
    const claimed = claims.filter((run) => run !== undefined);
    expect(claimed).toHaveLength(cap);
    expect(await running()).toBe(cap);

    // Full: nobody gets another, from either replica.
    expect(await claimSyncRun(second.db, "replica-1:late", 60_000, cap)).toBeUndefined();
    expect(await claimSyncRun(first.db, "replica-0:late", 60_000, cap)).toBeUndefined();

    // One finishes: racing claimers get exactly one slot between them.
    const done = claimed[0]!;
    await finishSyncRun(first.db, done.id, done.leaseOwner!, { status: "succeeded" });
    const again = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        claimSyncRun((i % 2 === 0 ? first : second).db, `replica-${i % 2}:again-${i}`, 60_000, cap),
      ),
    );
    expect(again.filter((run) => run !== undefined)).toHaveLength(1);
    expect(await running()).toBe(cap);
  });

  it("does not count a run whose process died (lease expired) against the cap", async () => {
    await first.db.execute(
      sql`update sync_runs set status = 'succeeded' where status in ('queued', 'running')`,
    );
    await queueRuns(3);
    const cap = 2;
    const a = await claimSyncRun(first.db, "dead-replica:1", 60_000, cap);
    const b = await claimSyncRun(second.db, "dead-replica:2", 60_000, cap);
    expect(a && b).toBeTruthy();
    expect(await claimSyncRun(second.db, "alive:1", 60_000, cap)).toBeUndefined();
    // The process holding `a` died: its lease runs out.
    await first.db.execute(
      sql`update sync_runs set lease_expires_at = now() - interval '1 second' where id = ${a!.id}`,
    );
    const taken = await claimSyncRun(second.db, "alive:1", 60_000, cap);
    // The oldest runnable run is the abandoned one: it is resumed before a new one starts.
    expect(taken?.id).toBe(a!.id);
    expect(taken?.attempts).toBe(2);
    expect(await running()).toBe(cap);
  });
});
