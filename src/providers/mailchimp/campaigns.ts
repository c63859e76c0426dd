/**
 * Campaign records: create (or replicate the shop's own design), content, lookup. POSTs that
 * create something are never repeated here: the campaign state machine persists what it has and
 * recovers a lost answer with findCampaignByTitle.
 */
import { z } from "zod";
import { UpstreamError } from "../../errors.js";
import type { CampaignInput, ProviderCampaign } from "../types.js";
import { type McClient, readBody } from "./client.js";

export const campaignSchema = z.looseObject({
  id: z.string(),
  web_id: z.number().optional(),
  status: z.string(),
  archive_url: z.string().optional(),
  create_time: z.string().optional(),
  settings: z.looseObject({ title: z.string().optional() }).optional(),
});
type McCampaign = z.infer<typeof campaignSchema>;

const STATUS: Record<string, ProviderCampaign["status"]> = {
  save: "draft",
  schedule: "scheduled",
  sending: "sending",
  sent: "sent",
};

/**
 * The link the shop follows: the public archive page once sent, the editor (needs a Mailchimp
 * login) while the campaign can still be changed.
 */
export function toProviderCampaign(c: McCampaign): ProviderCampaign {
  const editor =
    c.web_id !== undefined ? `https://admin.mailchimp.com/campaigns/edit?id=${c.web_id}` : undefined;
  const url = c.status === "sent" ? (c.archive_url ?? editor) : (editor ?? c.archive_url);
  return { id: c.id, status: STATUS[c.status] ?? "other", ...(url ? { url } : {}) };
}

const segmentsSchema = z.looseObject({
  segments: z.array(z.looseObject({ id: z.number(), name: z.string() })),
});

/** Tags are static segments; Mailchimp may change a tag's casing, so names compare case-insensitively. */
async function tagSegmentId(client: McClient, audienceId: string, tag: string): Promise<number> {
  const body = await client.call("idempotent", "reading the audience's tags", (api) =>
    api.lists.listSegments(audienceId, {
      type: "static",
      count: 1000,
      fields: ["segments.id", "segments.name"],
    }),
  );
  const wanted = tag.trim().toLowerCase();
  const found = readBody(segmentsSchema, body, "the tags").segments.find(
    (s) => s.name.trim().toLowerCase() === wanted,
  );
  if (!found) {
    throw new UpstreamError("mailchimp", `No contact in this Mailchimp audience has the tag "${tag}".`, {
      retryable: false,
      permanent: true,
      providerCode: "Unknown Tag",
    });
  }
  return found.id;
}

async function recipientsFor(client: McClient, input: CampaignInput): Promise<Record<string, unknown>> {
  if (!input.segmentTag) return { list_id: input.audienceId };
  const id = await tagSegmentId(client, input.audienceId, input.segmentTag);
  return {
    list_id: input.audienceId,
    segment_opts: {
      match: "all",
      conditions: [{ condition_type: "StaticSegment", field: "static_segment", op: "static_is", value: id }],
    },
  };
}

function settingsFor(input: CampaignInput): Record<string, string> {
  return {
    subject_line: input.subject,
    preview_text: input.previewText ?? "",
    // Exactly the title given: findCampaignByTitle recovers a campaign whose create answer was lost.
    title: input.title,
    from_name: input.fromName,
    reply_to: input.replyTo,
  };
}

export async function createCampaign(client: McClient, input: CampaignInput): Promise<ProviderCampaign> {
  const recipients = await recipientsFor(client, input);
  const settings = settingsFor(input);
  const templateId = input.providerTemplateId;
  if (!templateId) {
    const created = await client.call("once", "creating the campaign", (api) =>
      api.campaigns.create({ type: "regular", recipients, settings }),
    );
    return toProviderCampaign(readBody(campaignSchema, created, "the new campaign"));
  }
  // The shop's own design (builder templates cannot be applied through the API): copy its
  // campaign, then give the copy this cycle's title, subject and recipients.
  const copy = readBody(
    campaignSchema,
    await client.call("once", "copying the template campaign", (api) => api.campaigns.replicate(templateId)),
    "the copied campaign",
  );
  try {
    const updated = await client.call("idempotent", "setting up the copied campaign", (api) =>
      api.campaigns.update(copy.id, { recipients, settings }),
    );
    return toProviderCampaign(readBody(campaignSchema, updated, "the copied campaign"));
  } catch (error) {
    // A copy still titled "… (copy 01)" would never be found again: remove it, then report.
    await client
      .call("idempotent", "removing the copied campaign", (api) => api.campaigns.remove(copy.id))
      .catch(() => undefined);
    throw error;
  }
}

export async function setCampaignContent(
  client: McClient,
  campaignId: string,
  input: CampaignInput,
): Promise<void> {
  // A replicated campaign keeps the design the shop made in Mailchimp.
  if (input.providerTemplateId) return;
  await client.call("idempotent", "setting the campaign content", (api) =>
    api.campaigns.setContent(campaignId, { html: input.html }),
  );
}

export async function readCampaign(client: McClient, campaignId: string): Promise<McCampaign | undefined> {
  try {
    const body = await client.call("idempotent", "reading the campaign", (api) =>
      api.campaigns.get(campaignId),
    );
    return readBody(campaignSchema, body, "the campaign");
  } catch (error) {
    if (error instanceof UpstreamError && error.options.status === 404) return undefined;
    throw error;
  }
}

const campaignListSchema = z.looseObject({ campaigns: z.array(campaignSchema) });

/** Looks through the 1,000 most recent campaigns; the newest of equal titles wins. */
export async function findCampaignByTitle(
  client: McClient,
  title: string,
): Promise<ProviderCampaign | undefined> {
  const body = await client.call("idempotent", "looking for the campaign", (api) =>
    api.campaigns.list({
      count: 1000,
      sortField: "create_time",
      sortDir: "DESC",
      fields: [
        "campaigns.id",
        "campaigns.web_id",
        "campaigns.status",
        "campaigns.archive_url",
        "campaigns.create_time",
        "campaigns.settings.title",
      ],
    }),
  );
  const matches = readBody(campaignListSchema, body, "the campaigns").campaigns.filter(
    (c) => c.settings?.title === title,
  );
  // Sorting again here: the order of the answer is Mailchimp's promise, not one we can check.
  const created = (c: McCampaign) => Date.parse(c.create_time ?? "") || 0;
  matches.sort((a, b) => created(b) - created(a));
  return matches[0] ? toProviderCampaign(matches[0]) : undefined;
}
