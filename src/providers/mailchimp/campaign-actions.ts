/**
 * What happens to a campaign: the send checklist, send, schedule, cancel, test. Send and
 * schedule are single attempts: a send that timed out may have gone out, and only the caller's
 * idempotency record (plus getCampaign) can tell.
 */
import { z } from "zod";
import { UpstreamError } from "../../errors.js";
import { readCampaign } from "./campaigns.js";
import { type McClient, readBody } from "./client.js";

const checklistSchema = z.looseObject({
  is_ready: z.boolean(),
  items: z
    .array(
      z.looseObject({ type: z.string(), heading: z.string().optional(), details: z.string().optional() }),
    )
    .optional(),
});

/** Send only says "Your Campaign is not ready to send"; the checklist names the reason. */
export async function checkCampaign(client: McClient, campaignId: string): Promise<void> {
  const checklist = readBody(
    checklistSchema,
    await client.call("idempotent", "checking the campaign", (api) =>
      api.campaigns.getSendChecklist(campaignId),
    ),
    "the send checklist",
  );
  if (checklist.is_ready) return;
  const reasons = (checklist.items ?? [])
    .filter((item) => item.type === "error")
    .map((item) => [item.heading, item.details].filter(Boolean).join(": "));
  throw new UpstreamError(
    "mailchimp",
    `Mailchimp cannot send this campaign yet. ${reasons.length > 0 ? reasons.join(" · ") : "Open it in Mailchimp to see why."}`,
    { retryable: false, permanent: true, providerCode: "Not Ready" },
  );
}

export async function sendCampaign(client: McClient, campaignId: string): Promise<void> {
  await explainRefusal(client, campaignId, () =>
    client.call("once", "sending the campaign", (api) => api.campaigns.send(campaignId)),
  );
}

/**
 * Mailchimp refuses a campaign that is not ready with a 400 that only says so: nothing was sent,
 * and the checklist, asked afterwards, names the reason (the reference says to ask it first; after
 * a refusal it tells the same, and a campaign that goes out needs one call fewer).
 */
async function explainRefusal(client: McClient, campaignId: string, action: () => Promise<unknown>) {
  try {
    await action();
  } catch (error) {
    if (error instanceof UpstreamError && error.options.status === 400)
      await checkCampaign(client, campaignId);
    throw error;
  }
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/** Mailchimp schedules only on :00, :15, :30 and :45 (UTC); a time in between moves to the next one. */
export function nextQuarterHour(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
}

export async function scheduleCampaign(client: McClient, campaignId: string, at: Date): Promise<Date> {
  const when = nextQuarterHour(at);
  try {
    await explainRefusal(client, campaignId, () =>
      client.call("once", "scheduling the campaign", (api) =>
        api.campaigns.schedule(campaignId, { schedule_time: when.toISOString() }),
      ),
    );
  } catch (error) {
    // A 403 with a reason (not the body-less throttling one) is the free plan.
    if (error instanceof UpstreamError && error.options.status === 403 && !error.retryable) {
      throw new UpstreamError("mailchimp", "Scheduling needs a paid Mailchimp plan.", {
        status: 403,
        providerCode: error.options.providerCode,
        retryable: false,
        permanent: true,
      });
    }
    throw error;
  }
  return when;
}

/** Stops a campaign from going out: unschedule, cancel a send in progress, or delete a draft. */
export async function cancelCampaign(client: McClient, campaignId: string): Promise<void> {
  const campaign = await readCampaign(client, campaignId);
  if (!campaign) return;
  switch (campaign.status) {
    case "schedule":
      await client.call("refused-only", "unscheduling the campaign", (api) =>
        api.campaigns.unschedule(campaignId),
      );
      return;
    case "sending":
      await client.call("refused-only", "cancelling the send", (api) => api.campaigns.cancelSend(campaignId));
      return;
    case "save":
    case "paused":
      try {
        await client.call("idempotent", "deleting the draft", (api) => api.campaigns.remove(campaignId));
      } catch (error) {
        if (!(error instanceof UpstreamError && error.options.status === 404)) throw error;
      }
      return;
    case "sent":
      throw new UpstreamError("mailchimp", "This campaign has already been sent; it cannot be cancelled.", {
        retryable: false,
        permanent: true,
        providerCode: "Already Sent",
      });
    default:
      return; // canceled, canceling, archived: nothing left to stop.
  }
}

export async function sendTest(client: McClient, campaignId: string, emails: string[]): Promise<void> {
  await client.call("once", "sending a test", (api) =>
    api.campaigns.sendTestEmail(campaignId, { test_emails: emails, send_type: "html" }),
  );
}
