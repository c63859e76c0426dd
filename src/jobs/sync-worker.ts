/** Runs queued syncs: claim, hold the lease with a heartbeat, execute, record the outcome. */
import { eq } from "drizzle-orm";
import { providerConnections, shops } from "../db/schema/index.js";
import { AppError, UpstreamError } from "../errors.js";
import { metrics } from "../metrics.js";
import { executeSync, LeaseLostError, type SyncDeps, type SyncProgress } from "../sync/run-sync.js";
import {
  claimSyncRun,
  finishSyncRun,
  MAX_SYNC_ATTEMPTS,
  renewSyncLease,
  reportSyncProgress,
  type SyncRunRow,
} from "./sync-queue.js";

export interface SyncWorkerOptions {
  owner: string;
  leaseMs?: number;
  maxRunning?: number;
  /** Progress is written to the run row at most this often. */
  progressEveryMs?: number;
}

/** Claims and runs one sync; false when there was nothing to do. */
export async function runOneSync(deps: SyncDeps, options: SyncWorkerOptions): Promise<boolean> {
  const leaseMs = options.leaseMs ?? 60_000;
  const run = await claimSyncRun(deps.db, options.owner, leaseMs, options.maxRunning ?? 1_000);
  if (!run) return false;
  await processClaimedRun(deps, run, { ...options, leaseMs });
  return true;
}

/** Runs one given queued run now (the CLI's "sync <shop>"); false if a worker already holds it. */
export async function runSyncRunNow(
  deps: SyncDeps,
  runId: string,
  options: SyncWorkerOptions,
): Promise<boolean> {
  const leaseMs = options.leaseMs ?? 60_000;
  const run = await claimSyncRun(deps.db, options.owner, leaseMs, Number.MAX_SAFE_INTEGER, runId);
  if (!run) return false;
  await processClaimedRun(deps, run, { ...options, leaseMs });
  return true;
}

async function processClaimedRun(
  deps: SyncDeps,
  run: SyncRunRow,
  options: SyncWorkerOptions & { leaseMs: number },
): Promise<void> {
  const { db, logger } = deps;
  const log = logger.child({ runId: run.id, shopId: run.shopId });
  if (run.attempts > MAX_SYNC_ATTEMPTS) {
    await finishSyncRun(db, run.id, options.owner, {
      status: "failed",
      errorCode: "GAVE_UP",
      errorMessage: `The sync was interrupted ${MAX_SYNC_ATTEMPTS} times; it will run again at the next schedule.`,
    });
    return;
  }
  let owned = true;
  const heartbeat = setInterval(
    () => {
      void renewSyncLease(db, run.id, options.owner, options.leaseMs).then(
        (ok) => {
          owned = ok;
        },
        () => {},
      );
    },
    Math.max(1_000, options.leaseMs / 3),
  );
  let lastReport = 0;
  let latest: SyncProgress | undefined;
  const flushProgress = () =>
    latest
      ? reportSyncProgress(db, run.id, options.owner, { ...latest, counts: { ...latest.counts } }).catch(
          () => {},
        )
      : Promise.resolve();
  try {
    const result = await executeSync(deps, run.shopId, {
      stillOwned: () => owned,
      onProgress: (progress) => {
        latest = progress;
        if (Date.now() - lastReport >= (options.progressEveryMs ?? 500)) {
          lastReport = Date.now();
          void flushProgress();
        }
      },
    });
    await flushProgress();
    await finishSyncRun(db, run.id, options.owner, {
      status: "succeeded",
      counts: { ...result.counts },
      invalidEmails: result.invalidEmails,
      warnings: result.warnings,
    });
    metrics.syncs.inc({ outcome: "succeeded" });
    log.info({ counts: result.counts }, "sync succeeded");
  } catch (error) {
    if (error instanceof LeaseLostError) {
      log.warn("sync lease lost; another worker continues it");
      return;
    }
    const { code, message } = await recordFailure(deps, run.shopId, error);
    await flushProgress();
    await finishSyncRun(db, run.id, options.owner, {
      status: "failed",
      counts: latest ? { ...latest.counts } : undefined,
      errorCode: code,
      errorMessage: message,
    });
    metrics.syncs.inc({ outcome: "failed" });
    if (error instanceof UpstreamError) metrics.providerErrors.inc({ service: error.service, code });
    log.warn({ code, err: error }, "sync failed");
  } finally {
    clearInterval(heartbeat);
  }
}

/** Maps a failure to what the shop sees; a refused key marks the connection broken until replaced. */
async function recordFailure(
  deps: SyncDeps,
  shopId: string,
  error: unknown,
): Promise<{ code: string; message: string }> {
  if (error instanceof UpstreamError) {
    if (error.options.authFailed) {
      if (error.service === "ofn") {
        await deps.db
          .update(shops)
          .set({ status: "broken", statusMessage: error.message })
          .where(eq(shops.id, shopId));
      } else {
        await deps.db
          .update(providerConnections)
          .set({ status: "broken", statusMessage: error.message })
          .where(eq(providerConnections.shopId, shopId));
      }
      return { code: `${error.service.toUpperCase()}_KEY_REFUSED`, message: error.message };
    }
    return {
      code: `${error.service.toUpperCase()}_${error.retryable ? "UNAVAILABLE" : "ERROR"}`,
      message: error.message,
    };
  }
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: "INTERNAL", message: "Unexpected error; the operator can find details in the logs." };
}
