/** The checks before sendNow, so a shop sees why a campaign cannot go before anything is sent. */
import type { CampaignContext } from "./campaigns.js";
import { campaignNumber, permanent, senderFor } from "./campaigns.js";

/**
 * What can be checked before sendNow without spending the hourly budget twice: the campaign, its
 * sender (cached senders), its lists (in the /contacts bucket) and the cached credits. Brevo only
 * reveals "account under validation" when sending; sendCampaign then fails permanently with it.
 */
export async function checkCampaign(ctx: CampaignContext, campaignId: string): Promise<void> {
  const campaign = await ctx.api.call("general", (sdk) =>
    sdk.emailCampaigns.getEmailCampaign({ campaignId: campaignNumber(campaignId) }),
  );
  if (campaign.status === "sent") throw permanent("This campaign was already sent.", "campaign_sent");
  const lists = campaign.recipients?.lists ?? [];
  if (lists.length === 0) throw permanent("The campaign has no recipient list in Brevo.", "no_recipients");
  const email = campaign.sender?.email;
  if (email) await senderFor(ctx, email);
  const sizes = await Promise.all(
    lists.map((listId) =>
      ctx.api
        .call("contacts", (sdk) => sdk.contacts.getList({ listId }))
        .then((l) => l.uniqueSubscribers ?? 0),
    ),
  );
  if (sizes.every((size) => size === 0)) {
    throw permanent("The campaign's Brevo list has no contacts yet: run a sync first.", "empty_list");
  }
  const { emailCredits } = await ctx.account.get();
  if (emailCredits !== undefined && emailCredits <= 0) {
    throw permanent(
      "Brevo has no email credits left on this account. Add credits or wait for the daily allowance.",
      "not_enough_credits",
    );
  }
}
