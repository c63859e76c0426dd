/**
 * Prunes history: webhook deliveries and finished sync runs older than RETENTION_DAYS, and expired
 * sessions. Contact state and campaigns are kept (campaign rows are the exactly-once guard).
 * The period is at least 30 days: OFN retries a delivery for about 20 days, and a pruned delivery
 * id could otherwise be accepted again.
 */
import { and, inArray, lt } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { sessions, syncRuns, webhookDeliveries } from "../db/schema/index.js";

export interface PruneResult {
  deliveries: number;
  syncRuns: number;
  sessions: number;
}

export async function pruneHistory(
  db: Db,
  retentionDays: number,
  now: Date = new Date(),
): Promise<PruneResult> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const deliveries = await db
    .delete(webhookDeliveries)
    .where(lt(webhookDeliveries.lastReceivedAt, cutoff))
    .returning({ id: webhookDeliveries.id });
  const runs = await db
    .delete(syncRuns)
    .where(and(inArray(syncRuns.status, ["succeeded", "failed"]), lt(syncRuns.queuedAt, cutoff)))
    .returning({ id: syncRuns.id });
  const expired = await db
    .delete(sessions)
    .where(lt(sessions.expiresAt, now))
    .returning({ id: sessions.idHash });
  return { deliveries: deliveries.length, syncRuns: runs.length, sessions: expired.length };
}
