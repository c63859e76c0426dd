/**
 * The campaign state machine: pending -> created -> content_set -> sent | scheduled | draft (or
 * cancelled). Each step records its result (provider ids first) before the next provider call,
 * and records that a non-idempotent call is about to happen before making it. A run resumed after
 * a crash therefore continues from the recorded step, and where the crash fell inside a create or
 * a send it asks the provider what happened instead of repeating the call.
 */
import { AppError } from "../errors.js";
import { type CampaignRow, recordStep, type StepPatch } from "../jobs/campaign-queue.js";
import type { NewsletterProvider } from "../providers/types.js";
import { loadShopContext, type ShopContext } from "../shops/context.js";
import { campaignInput, type FrozenContent, prepareContent } from "./campaign-content.js";
import type { CampaignDeps, CampaignDetails, Lease, Progress } from "./executor-types.js";
import { CampaignProblem, LeaseLostError } from "./executor-types.js";
import { decideMode, finishWithMode } from "./finish-step.js";

export interface ExecuteHooks {
  /** Called after each recorded step; returning false stops the run there (tests: "kill" a worker). */
  afterStep?: (status: string) => boolean | Promise<boolean>;
}

/** Runs the claimed campaign to a final state. Throws for the worker to retry or fail it. */
export async function executeCampaign(
  deps: CampaignDeps,
  row: CampaignRow,
  lease: Lease,
  progress: Progress,
  hooks: ExecuteHooks = {},
): Promise<void> {
  const now = deps.now ?? (() => new Date());
  // Progress follows the database, never runs ahead of it: a failure is recorded at the last step stored.
  const record = async (patch: StepPatch, options?: { redoable?: boolean }) => {
    if (!(await recordStep(deps.db, row.id, lease.owner, lease.leaseMs, patch, options)))
      throw new LeaseLostError();
    if (patch.details) progress.details = patch.details as CampaignDetails;
    if (patch.status) progress.status = patch.status;
  };
  const details = () => progress.details;

  if (progress.status === "cancelling" && !row.providerCampaignId) return record({ status: "cancelled" });
  if (row.kind === "last_call" && progress.status === "pending" && closed(row, now())) {
    return record({
      status: "cancelled",
      errorCode: "CLOSED",
      errorMessage: "The order cycle closed before the last call was due.",
    });
  }
  const context = await loadShopContext(deps, row.shopId);
  const provider = providerFor(deps, context);
  let providerId = row.providerCampaignId;
  // Set when this run itself recorded "a send is about to happen" (no earlier run can have sent).
  let sendMarked = false;

  for (;;) {
    switch (progress.status) {
      case "cancelling": {
        if (providerId) await provider.cancelCampaign(providerId);
        return record({ status: "cancelled" });
      }
      case "pending": {
        // The content is frozen together with the mark that a create is about to happen.
        const content = details().content ?? prepareContent(context, row, details());
        const found = details().createAttemptedAt
          ? await provider.findCampaignByTitle(content.title)
          : undefined;
        if (!found) {
          await record({
            subject: content.subject,
            details: { ...details(), content, createAttemptedAt: now().toISOString() },
          });
        }
        const created = found ?? (await provider.createCampaign(campaignInput(context, content)));
        providerId = created.id;
        // Redoable: lost to a database crash, the flushed createAttemptedAt leads to a search by title.
        await record(
          {
            status: "created",
            provider: provider.kind,
            providerCampaignId: created.id,
            providerUrl: created.url ?? null,
          },
          { redoable: true },
        );
        break;
      }
      case "created": {
        await provider.setCampaignContent(
          need(providerId),
          campaignInput(context, frozen(details().content)),
        );
        // One write for "content set" and, when sending now, "a send is about to happen": a run
        // resumed from here asks the provider whether it went, whichever step the crash fell in.
        const mode = details().mode ?? decideMode(row, context);
        sendMarked = mode === "send_now";
        await record({
          status: "content_set",
          details: { ...details(), mode, ...(sendMarked ? { sendAttemptedAt: now().toISOString() } : {}) },
        });
        break;
      }
      case "content_set": {
        // Recorded with the step's next write: until then nothing depends on it.
        if (!details().mode) progress.details = { ...details(), mode: decideMode(row, context) };
        await finishWithMode(details().mode ?? "send_now", {
          sendMarked,
          deps,
          row,
          context,
          provider,
          providerId: need(providerId),
          progress,
          record,
          now,
        });
        return;
      }
      default:
        return;
    }
    if (hooks.afterStep && !(await hooks.afterStep(progress.status))) return;
  }
}

function providerFor(deps: CampaignDeps, context: ShopContext): NewsletterProvider {
  const { connection, providerApiKey } = context;
  if (!connection || !providerApiKey || !connection.audienceId) {
    throw new CampaignProblem("NO_PROVIDER", "Connect Mailchimp or Brevo and choose an audience first.");
  }
  if (connection.status === "broken") {
    throw new CampaignProblem(
      "CONNECTION_BROKEN",
      connection.statusMessage ?? "The newsletter account connection is broken.",
    );
  }
  return deps.providers(connection.provider, providerApiKey);
}

function closed(row: CampaignRow, now: Date): boolean {
  const close = (row.orderCycle as { ordersCloseAt?: string | null }).ordersCloseAt;
  return typeof close === "string" && Date.parse(close) <= now.getTime();
}

function need(providerId: string | null): string {
  if (!providerId) throw new AppError("INTERNAL", "campaign step recorded without a provider id");
  return providerId;
}

function frozen(content: FrozenContent | undefined): FrozenContent {
  if (!content) throw new AppError("INTERNAL", "campaign content missing after create");
  return content;
}
