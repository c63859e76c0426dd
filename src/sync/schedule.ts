/** When a shop's next scheduled sync is due. */
import { createHash } from "node:crypto";
import { createTask } from "node-cron";
import type { SyncSettings } from "../shops/settings.js";

/**
 * Each shop gets a fixed offset inside its interval, from a hash of its id, so a thousand shops
 * on "daily" do not all start at midnight.
 */
export function spreadOffsetMinutes(shopId: string, intervalMinutes: number): number {
  const digest = createHash("sha256").update(shopId).digest();
  return digest.readUInt32BE(0) % intervalMinutes;
}

export function nextSyncAt(
  shopId: string,
  sync: SyncSettings,
  timeZone: string,
  after: Date = new Date(),
): Date {
  if (sync.cron) {
    const task = createTask(sync.cron, () => {}, { timezone: timeZone });
    try {
      // getNextRun() is null on a task that is not started; getNextRuns() is not, and counts from now.
      const next = task.getNextRuns(50).find((date) => date > after);
      if (next) return next;
    } finally {
      void task.destroy();
    }
  }
  const intervalMs = sync.intervalHours * 60 * 60_000;
  const offsetMs = spreadOffsetMinutes(shopId, sync.intervalHours * 60) * 60_000;
  const base = Math.floor((after.getTime() - offsetMs) / intervalMs) * intervalMs + offsetMs;
  return new Date(base + intervalMs);
}
