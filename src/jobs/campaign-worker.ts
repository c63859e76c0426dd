/**
 * Runs due campaigns: claim one row, run its step chain, and on failure either give it back with a
 * later run_at (429, 5xx, network: bounded backoff) or mark it failed with a reason the shop can
 * read and a "retry" button can resume from.
 */
import { eq } from "drizzle-orm";
import { type ExecuteHooks, executeCampaign } from "../campaigns/execute.js";
import {
  type CampaignDeps,
  type CampaignDetails,
  CampaignProblem,
  LeaseLostError,
  type Progress,
} from "../campaigns/executor-types.js";
import { providerConnections } from "../db/schema/index.js";
import { AppError, UpstreamError } from "../errors.js";
import { type CampaignRow, claimCampaign, releaseCampaign, renewCampaignLease } from "./campaign-queue.js";

/** Claims beyond this many (crashes included) end in "failed": nothing retries forever. */
export const MAX_CAMPAIGN_ATTEMPTS = 8;
const MAX_BACKOFF_MS = 60 * 60_000;

export interface CampaignWorkerOptions {
  owner: string;
  leaseMs?: number;
  /** Run this campaign only (the "send me a test" button runs its row at once). */
  campaignId?: string;
  hooks?: ExecuteHooks;
}

/** Claims and runs one campaign; the row as it was claimed, or undefined when nothing was due. */
export async function runOneCampaign(
  deps: CampaignDeps,
  options: CampaignWorkerOptions,
): Promise<CampaignRow | undefined> {
  const leaseMs = options.leaseMs ?? 60_000;
  const row = await claimCampaign(deps.db, options.owner, leaseMs, options.campaignId);
  if (!row) return undefined;
  const progress: Progress = { status: row.status, details: (row.details ?? {}) as CampaignDetails };
  const log = deps.logger.child({ campaignId: row.id, shopId: row.shopId, kind: row.kind });
  // A provider call with its timeout and retries can outlast the lease; without a heartbeat a
  // second worker could take the row over mid-call and repeat a create or a send.
  const heartbeat = setInterval(
    () => void renewCampaignLease(deps.db, row.id, options.owner, leaseMs).catch(() => {}),
    Math.max(1_000, leaseMs / 3),
  );
  try {
    await executeCampaign(deps, row, { owner: options.owner, leaseMs }, progress, options.hooks);
    log.info({ status: progress.status }, "campaign step chain done");
  } catch (error) {
    if (error instanceof LeaseLostError) {
      log.warn("campaign lease lost; another worker continues it");
      return row;
    }
    await handleFailure(deps, row, options.owner, progress, error);
    log.warn({ err: error, status: progress.status }, "campaign step failed");
  } finally {
    clearInterval(heartbeat);
  }
  return row;
}

async function handleFailure(
  deps: CampaignDeps,
  row: CampaignRow,
  owner: string,
  progress: Progress,
  error: unknown,
): Promise<void> {
  const { code, message, retryable, retryAfterMs } = describeFailure(error);
  if (error instanceof UpstreamError && error.options.authFailed && error.service !== "ofn") {
    await deps.db
      .update(providerConnections)
      .set({ status: "broken", statusMessage: error.message })
      .where(eq(providerConnections.shopId, row.shopId));
  }
  if (retryable && row.attempts < MAX_CAMPAIGN_ATTEMPTS) {
    const base = deps.campaignRetryBaseMs ?? 30_000;
    const backoff = Math.min(MAX_BACKOFF_MS, base * 2 ** (row.attempts - 1)) * (0.8 + Math.random() * 0.4);
    const now = deps.now?.() ?? new Date();
    await releaseCampaign(deps.db, row.id, owner, {
      runAt: new Date(now.getTime() + Math.max(backoff, retryAfterMs ?? 0)),
      errorCode: code,
      errorMessage: message,
      details: progress.details,
    });
    return;
  }
  await releaseCampaign(deps.db, row.id, owner, {
    status: "failed",
    errorCode: retryable ? "GAVE_UP" : code,
    errorMessage: message,
    details: { ...progress.details, failedAtStatus: progress.status },
  });
}

function describeFailure(error: unknown): {
  code: string;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
} {
  if (error instanceof UpstreamError) {
    const code =
      error.options.providerCode ?? `${error.service.toUpperCase()}_${error.options.status ?? "ERROR"}`;
    return {
      code,
      message: error.message,
      retryable: error.retryable,
      retryAfterMs: error.options.retryAfterMs,
    };
  }
  if (error instanceof CampaignProblem) return { code: error.code, message: error.message, retryable: false };
  if (error instanceof AppError) return { code: error.code, message: error.message, retryable: false };
  // A database blip or a bug: worth a few more tries, the details stay in the log.
  return {
    code: "INTERNAL",
    message: "Unexpected error; the operator can find details in the logs.",
    retryable: true,
  };
}
