/** `npm run cli -- sync <shop id>`: runs a sync now with a progress bar, then a summary table. */
import { setTimeout as sleep } from "node:timers/promises";
import { eq, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { shops } from "../db/schema/index.js";
import { createSyncDeps, workerId } from "../jobs/background.js";
import { enqueueSync, getSyncRun, type SyncRunRow } from "../jobs/sync-queue.js";
import { runSyncRunNow } from "../jobs/sync-worker.js";
import type { Runtime } from "../runtime.js";
import { formatTable, progressBar } from "./progress.js";

const UUID = /^[0-9a-f-]{36}$/i;

export async function findShopId(db: Db, ref: string): Promise<string | undefined> {
  const [shop] = await db
    .select({ id: shops.id })
    .from(shops)
    .where(UUID.test(ref) ? eq(shops.id, ref) : or(sql`lower(${shops.name}) = lower(${ref})`))
    .limit(2);
  return shop?.id;
}

export function summarise(run: SyncRunRow): string {
  const counts = run.counts as Record<string, number>;
  const rows = Object.entries(counts).map(([what, n]) => ({ what, contacts: n }));
  const lines = [formatTable(rows), "", `status: ${run.status}`];
  if (run.errorMessage) lines.push(`error: ${run.errorMessage}`);
  const invalid = run.invalidEmails as Array<{ email: string }>;
  if (invalid.length > 0)
    lines.push(
      `invalid emails (first ${Math.min(10, invalid.length)}): ${invalid
        .slice(0, 10)
        .map((i) => JSON.stringify(i.email))
        .join(", ")}`,
    );
  for (const warning of run.warnings as string[]) lines.push(`warning: ${warning}`);
  return lines.join("\n");
}

/** Follows a run's progress until it ends; the bar is fed by the run row like the dashboard's. */
export async function followRun(
  read: () => Promise<SyncRunRow | undefined>,
  done: () => boolean,
): Promise<SyncRunRow> {
  const bar = progressBar("sync");
  for (;;) {
    const run = await read();
    if (!run) throw new Error("the sync run disappeared");
    bar.update(run.progressDone, Math.max(run.progressTotal, run.progressDone));
    if (run.status === "succeeded" || run.status === "failed" || (done() && run.status !== "running")) {
      bar.finish();
      return run;
    }
    await sleep(300);
  }
}

export async function syncCommand(runtime: Runtime, args: string[]): Promise<number> {
  const ref = args[0];
  if (!ref) {
    process.stderr.write("usage: npm run cli -- sync <shop id or name>\n");
    return 2;
  }
  const db = runtime.database.db;
  const shopId = await findShopId(db, ref);
  if (!shopId) {
    process.stderr.write(`no shop ${JSON.stringify(ref)}\n`);
    return 1;
  }
  const { run } = await enqueueSync(db, shopId, "cli");
  let finished = false;
  const work = runSyncRunNow(createSyncDeps(runtime), run.id, {
    owner: workerId(),
    progressEveryMs: 200,
  }).finally(() => {
    finished = true;
  });
  const final = await followRun(
    () => getSyncRun(db, run.id),
    () => finished,
  );
  await work;
  process.stdout.write(`${summarise(final)}\n`);
  return final.status === "succeeded" ? 0 : 1;
}
