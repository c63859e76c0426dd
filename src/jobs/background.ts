/** The background side of a process: workers and the cron tick. Stopped within a deadline on shutdown. */
import { hostname } from "node:os";
import cron from "node-cron";
import { LimiterPool } from "../limiter.js";
import { createProviderFactory } from "../providers/factory.js";
import type { Runtime } from "../runtime.js";
import type { SyncDeps } from "../sync/run-sync.js";
import { runOneCampaign } from "./campaign-worker.js";
import { WorkerLoop } from "./loop.js";
import { pruneHistory } from "./retention.js";
import { enqueueDueSyncs } from "./scheduler.js";
import { runOneSync } from "./sync-worker.js";

export interface Background {
  /** Wakes idle loops of one kind of work (both when none is named): it was just queued here. */
  wake(work?: WorkKind): void;
  /** Stops taking new work and waits for running work until `deadline` (epoch ms). */
  stop(deadline: number): Promise<void>;
}

export function workerId(): string {
  return `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
}

/** Dependencies of the sync side, shared by the workers, the CLI and the HTTP "sync now". */
export function createSyncDeps(runtime: Runtime): SyncDeps {
  return {
    db: runtime.database.db,
    keyring: runtime.keyring,
    logger: runtime.logger,
    ofnLimiters: new LimiterPool(runtime.config.OFN_CONCURRENCY),
    providers: createProviderFactory(runtime.config),
  };
}

/** The kinds of background work; a wake names the kind just queued so other loops stay asleep. */
export type WorkKind = "sync" | "campaign";

/** How often, together, idle campaign loops look for due campaigns (scheduled ones, retries). */
const CAMPAIGN_POLL_MS = 500;

export function startBackground(runtime: Runtime, syncDeps: SyncDeps = createSyncDeps(runtime)): Background {
  const { config, logger } = runtime;
  const onError = (name: string, error: unknown) =>
    logger.error({ err: error, worker: name }, "worker step failed");
  const loops: Array<{ kind: WorkKind; loop: WorkerLoop }> = [];
  // A webhook's campaign wakes campaign loops only: a sync loop woken for nothing still runs a claim.
  const wake = (work?: WorkKind) => {
    for (const entry of loops) if (!work || entry.kind === work) entry.loop.wake();
  };
  const syncSlots = Math.min(config.WORKERS, config.MAX_CONCURRENT_SYNCS);
  for (let i = 0; i < syncSlots; i++) {
    const owner = workerId();
    loops.push({
      kind: "sync",
      loop: new WorkerLoop(
        `sync-${i}`,
        () => runOneSync(syncDeps, { owner, maxRunning: config.MAX_CONCURRENT_SYNCS }),
        1_000,
        onError,
      ).start(),
    });
  }
  // Campaign runs wait on provider calls (three in a row, a few hundred ms each against the real
  // APIs), so many run at once; their own loops keep a long sync from delaying a send. Idle, they
  // poll in turn: together about twice a second, whatever their number. A loop that finds work
  // wakes one idle loop, which wakes the next if it finds work too: a burst seen by polling
  // (queued on another replica, or come due) soon has every loop, a lone campaign costs one claim.
  const campaignLoops = config.WORKERS > 0 ? config.CAMPAIGN_WORKERS : 0;
  for (let i = 0; i < campaignLoops; i++) {
    const owner = workerId();
    loops.push({
      kind: "campaign",
      loop: new WorkerLoop(
        `campaign-${i}`,
        async () => {
          const found = Boolean(await runOneCampaign(syncDeps, { owner }));
          if (found) loops.find((entry) => entry.kind === "campaign" && entry.loop.idle)?.loop.wake();
          return found;
        },
        CAMPAIGN_POLL_MS * campaignLoops,
        onError,
        { jitter: true },
      ).start(),
    });
  }
  const tick = config.SCHEDULER
    ? cron.schedule("* * * * *", async () => {
        try {
          const queued = await enqueueDueSyncs(runtime.database.db);
          if (queued > 0) wake("sync");
        } catch (error) {
          onError("scheduler", error);
        }
      })
    : undefined;
  // Hourly, at a random minute per process so replicas do not prune at the same moment.
  const prune = cron.schedule(`${Math.floor(Math.random() * 60)} * * * *`, async () => {
    try {
      const pruned = await pruneHistory(runtime.database.db, config.RETENTION_DAYS);
      logger.info({ pruned }, "history pruned");
    } catch (error) {
      onError("retention", error);
    }
  });
  return {
    wake,
    async stop(deadline) {
      await tick?.stop();
      await prune.stop();
      await Promise.all(loops.map(({ loop }) => loop.stop(deadline)));
    },
  };
}
