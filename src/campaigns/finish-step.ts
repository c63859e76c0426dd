/** The last step of a campaign: send now, schedule, leave as a draft, or send a test. */
import { UpstreamError } from "../errors.js";
import type { CampaignRow, StepPatch } from "../jobs/campaign-queue.js";
import type { NewsletterProvider } from "../providers/types.js";
import type { ShopContext } from "../shops/context.js";
import { type CampaignDeps, CampaignProblem, type DeliveryMode, type Progress } from "./executor-types.js";

export function decideMode(row: CampaignRow, context: ShopContext): DeliveryMode {
  const details = row.details as { simulated?: boolean };
  if (row.kind === "test" || details.simulated) return "test";
  const delivery = context.settings.campaigns.delivery;
  if (delivery === "draft") return "draft";
  // A last call is already timed by its run_at; delaying it further would miss the closing.
  if (row.kind === "last_call") return "send_now";
  return delivery;
}

interface FinishContext {
  deps: CampaignDeps;
  row: CampaignRow;
  context: ShopContext;
  provider: NewsletterProvider;
  providerId: string;
  progress: Progress;
  record: (patch: StepPatch, options?: { redoable?: boolean }) => Promise<void>;
  now: () => Date;
  /** This run recorded sendAttemptedAt itself, with "content set": nothing can have gone yet. */
  sendMarked?: boolean;
}

export async function finishWithMode(mode: DeliveryMode, f: FinishContext): Promise<void> {
  const { provider, providerId, progress, record, now } = f;
  if (mode === "draft") return record({ status: "draft", details: progress.details });
  if (mode === "test") return sendTestMail(f);

  if (progress.details.sendAttemptedAt && !f.sendMarked) {
    // The previous run may have sent or scheduled just before dying: never send twice.
    const seen = await provider.getCampaign(providerId);
    if (seen?.status === "sent" || seen?.status === "sending") {
      return record({ status: "sent", sentAt: now() });
    }
    if (seen?.status === "scheduled") {
      const at = progress.details.scheduleRequestedFor;
      return record({ status: "scheduled", scheduledFor: at ? new Date(at) : null });
    }
  }
  // The provider refuses a campaign that cannot go with its reason (its own checklist).
  if (mode === "schedule") {
    const delayMs = f.context.settings.campaigns.delayMinutes * 60_000;
    const wanted = new Date(Math.max(now().getTime(), f.row.createdAt.getTime() + delayMs));
    await record({
      details: {
        ...progress.details,
        sendAttemptedAt: now().toISOString(),
        scheduleRequestedFor: wanted.toISOString(),
      },
    });
    // Mailchimp only schedules on the quarter hour: the adapter rounds up and says when.
    const actual = await provider.scheduleCampaign(providerId, wanted);
    return record({
      status: "scheduled",
      scheduledFor: actual,
      details: { ...progress.details, scheduleRequestedFor: actual.toISOString() },
    });
  }
  if (!f.sendMarked) await record({ details: { ...progress.details, sendAttemptedAt: now().toISOString() } });
  await provider.sendCampaign(providerId);
  // Redoable: lost to a database crash, the flushed sendAttemptedAt makes the next run ask Mailchimp.
  return record({ status: "sent", sentAt: now() }, { redoable: true });
}

/** A test mail to the shop's own addresses; the campaign stays a draft in the provider. */
async function sendTestMail(f: FinishContext): Promise<void> {
  const { context, provider, providerId, progress, record, now } = f;
  const emails = progress.details.testEmails?.length
    ? progress.details.testEmails
    : context.settings.campaigns.testEmails.length
      ? context.settings.campaigns.testEmails
      : context.shop.contactEmail
        ? [context.shop.contactEmail]
        : [];
  if (emails.length === 0) {
    throw new CampaignProblem("NO_TEST_ADDRESS", "Add an address for test emails in the campaign settings.");
  }
  // The checklist is advice here: a shop without subscribers yet must still get its test.
  let checkWarning: string | undefined;
  try {
    await provider.checkCampaign(providerId);
  } catch (error) {
    if (!(error instanceof UpstreamError) || error.retryable) throw error;
    checkWarning = error.message;
  }
  await provider.sendTest(providerId, emails);
  return record({
    status: "draft",
    details: {
      ...progress.details,
      testEmails: emails,
      testSentAt: now().toISOString(),
      ...(checkWarning ? { checkWarning } : {}),
    },
  });
}
