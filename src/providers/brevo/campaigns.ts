/**
 * Email campaigns, all in the 100 requests/hour bucket. POSTs (create, sendNow, sendTest) are sent
 * once: the campaign state machine persists ids and recovers with findCampaignByTitle, so a retry
 * here could only add a duplicate campaign or a second send. GETs and PUTs are idempotent and
 * retried. The account and senders come from the instance's cache. checkCampaign: campaign-check.ts.
 */
import { UpstreamError } from "../../errors.js";
import type { CampaignInput, ProviderCampaign } from "../types.js";
import type { AccountFacts, Cached, SenderFacts } from "./account.js";
import type { BrevoApi } from "./client.js";
import { type ListDirectory, tagListName } from "./lists.js";

export interface CampaignContext {
  api: BrevoApi;
  lists: ListDirectory;
  account: Cached<AccountFacts>;
  senders: Cached<SenderFacts[]>;
}

const PAGE = 100;
/** findCampaignByTitle looks at the newest 500 campaigns: the one it recovers was made minutes ago. */
const MAX_PAGES = 5;
/** A sender verified after the list was read is seen when the cache is older than this. */
const SENDER_REFRESH_MS = 60_000;

export const permanent = (message: string, providerCode: string) =>
  new UpstreamError("brevo", message, { retryable: false, permanent: true, providerCode });

export function campaignNumber(id: string): number {
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0)
    throw permanent(`"${id}" is not a Brevo campaign id.`, "invalid_campaign_id");
  return n;
}

/**
 * Best effort: Brevo documents no link to one campaign, so this opens the campaign listing (the id
 * after # only helps the shop find it).
 */
const campaignUrl = (id: number) => `https://app.brevo.com/camp/listing#campaign-${id}`;

const STATUS: Record<string, ProviderCampaign["status"]> = {
  draft: "draft",
  queued: "scheduled",
  in_process: "sending",
  inProcess: "sending",
  sent: "sent",
};

const toCampaign = (c: { id: number; status: string }): ProviderCampaign => ({
  id: String(c.id),
  url: campaignUrl(c.id),
  status: STATUS[c.status] ?? "other",
});

export async function senderFor(ctx: CampaignContext, email: string): Promise<SenderFacts> {
  const match = (senders: SenderFacts[]) =>
    senders.find((s) => s.active && s.email.toLowerCase() === email.trim().toLowerCase());
  let found = match(await ctx.senders.get());
  if (!found && ctx.senders.age > SENDER_REFRESH_MS) found = match(await ctx.senders.get(0));
  if (!found) {
    throw permanent(
      `"${email}" is not a verified sender in Brevo (sender not verified). Add it in Brevo (Senders, domains & dedicated IPs) and confirm it, then try again.`,
      "sender_not_verified",
    );
  }
  return found;
}

async function recipientLists(ctx: CampaignContext, input: CampaignInput): Promise<number[]> {
  if (!input.segmentTag) return [Number(input.audienceId)];
  const id = await ctx.lists.find(tagListName(input.segmentTag));
  if (id === undefined) {
    throw permanent(
      `Brevo has no list "${tagListName(input.segmentTag)}" yet: sync contacts with tags as lists first.`,
      "segment_list_missing",
    );
  }
  return [id];
}

function content(input: CampaignInput) {
  if (!input.providerTemplateId) return { htmlContent: input.html };
  const templateId = Number(input.providerTemplateId);
  if (!Number.isInteger(templateId)) {
    throw permanent(`"${input.providerTemplateId}" is not a Brevo template id.`, "invalid_template_id");
  }
  return { templateId, params: input.templateParams ?? {} };
}

export async function createCampaign(ctx: CampaignContext, input: CampaignInput): Promise<ProviderCampaign> {
  const sender = await senderFor(ctx, input.replyTo);
  const listIds = await recipientLists(ctx, input);
  const { id } = await ctx.api.call(
    "general",
    (sdk) =>
      sdk.emailCampaigns.createEmailCampaign({
        name: input.title,
        subject: input.subject,
        ...(input.previewText ? { previewText: input.previewText } : {}),
        // id xor email: Brevo refuses both (brevo.md §2.9).
        sender: { id: sender.id, name: input.fromName },
        replyTo: input.replyTo,
        recipients: { listIds },
        ...content(input),
      }),
    "none",
  );
  return { id: String(id), url: campaignUrl(id), status: "draft" };
}

export async function setCampaignContent(ctx: CampaignContext, campaignId: string, input: CampaignInput) {
  const body = content(input);
  // A PUT cannot switch templates (no templateId field): a template campaign gets its params.
  const update = "templateId" in body ? { params: body.params } : body;
  await ctx.api.call("general", (sdk) =>
    sdk.emailCampaigns.updateEmailCampaign({
      campaignId: campaignNumber(campaignId),
      subject: input.subject,
      ...(input.previewText ? { previewText: input.previewText } : {}),
      replyTo: input.replyTo,
      ...update,
    }),
  );
}

export async function sendCampaign(ctx: CampaignContext, campaignId: string): Promise<void> {
  const id = campaignNumber(campaignId);
  await ctx.api.call("general", (sdk) => sdk.emailCampaigns.sendEmailCampaignNow({ campaignId: id }), "none");
}

export async function scheduleCampaign(ctx: CampaignContext, campaignId: string, at: Date): Promise<Date> {
  const id = campaignNumber(campaignId);
  await ctx.api.call("general", (sdk) =>
    sdk.emailCampaigns.updateEmailCampaign({ campaignId: id, scheduledAt: at.toISOString() }),
  );
  return at;
}

/** "suspended" stops a scheduled campaign and keeps it, so the shop can see what was cancelled. */
export async function cancelCampaign(ctx: CampaignContext, campaignId: string): Promise<void> {
  const id = campaignNumber(campaignId);
  await ctx.api.call("general", (sdk) =>
    sdk.emailCampaigns.updateCampaignStatus({ campaignId: id, body: { status: "suspended" } }),
  );
}

export async function getCampaign(
  ctx: CampaignContext,
  campaignId: string,
): Promise<ProviderCampaign | undefined> {
  try {
    const id = campaignNumber(campaignId);
    return toCampaign(
      await ctx.api.call("general", (sdk) => sdk.emailCampaigns.getEmailCampaign({ campaignId: id })),
    );
  } catch (error) {
    if (error instanceof UpstreamError && error.options.status === 404) return undefined;
    throw error;
  }
}

/** Brevo cannot filter by name: pages newest first, without HTML, and matches the name exactly. */
export async function findCampaignByTitle(
  ctx: CampaignContext,
  title: string,
): Promise<ProviderCampaign | undefined> {
  for (let page = 0; page < MAX_PAGES; page++) {
    const { campaigns = [], count = 0 } = await ctx.api.call("general", (sdk) =>
      sdk.emailCampaigns.getEmailCampaigns({
        limit: PAGE,
        offset: page * PAGE,
        sort: "desc",
        excludeHtmlContent: true,
      }),
    );
    const found = campaigns.find((c) => c.name === title);
    if (found) return toCampaign(found);
    if (campaigns.length < PAGE || (page + 1) * PAGE >= count) return undefined;
  }
  return undefined;
}

export async function sendTest(ctx: CampaignContext, campaignId: string, emails: string[]): Promise<void> {
  const id = campaignNumber(campaignId);
  await ctx.api.call(
    "general",
    (sdk) => sdk.emailCampaigns.sendTestEmail({ campaignId: id, body: { emailTo: emails } }),
    "none",
  );
}
