/**
 * The campaign step: the shop's announcement template (Markdown with {{variables}}), previewed with
 * a sample order cycle through the same renderer the campaigns use, and saved with the sender and
 * delivery options.
 */
import { loadTemplate, shopLocale } from "../campaigns/campaign-content.js";
import { type RenderedCampaign, renderCampaign } from "../campaigns/render.js";
import { sampleOrderCycle } from "../campaigns/shop-actions.js";
import type { Db } from "../db/client.js";
import { campaignTemplates } from "../db/schema/index.js";
import type { Locale } from "../web/i18n/index.js";
import { recordAudit } from "./audit.js";
import { loadShopOverview } from "./dashboard.js";
import { saveCampaignOptions } from "./preferences.js";
import type { CampaignSettings } from "./settings.js";

export interface TemplateDraft {
  subject: string;
  body: string;
}

export interface TemplateChoices extends TemplateDraft {
  locale: Locale;
  fromName: string;
  replyTo: string;
  delivery: CampaignSettings["delivery"];
}

/** What the form starts from: the saved template, or the default one in the shop's language. */
export async function loadTemplateChoices(db: Db, shopId: string): Promise<TemplateChoices> {
  const overview = await loadShopOverview(db, shopId);
  const locale = shopLocale(overview.shop.locale);
  const template = await loadTemplate(db, shopId, locale, "announcement");
  const campaigns = overview.settings.campaigns;
  return {
    subject: template.subject,
    body: template.body,
    locale,
    fromName: campaigns.fromName || overview.shop.name,
    replyTo: campaigns.replyTo,
    delivery: campaigns.delivery,
  };
}

/** The draft rendered for a sample order cycle that opened now, in the chosen language. */
export async function previewTemplate(
  db: Db,
  shopId: string,
  draft: TemplateDraft,
  locale: Locale,
  now = new Date(),
): Promise<RenderedCampaign> {
  const overview = await loadShopOverview(db, shopId);
  const enterprise = overview.enterprises.find((e) => e.announceCycles) ?? overview.enterprises[0];
  const coordinator = { id: enterprise?.enterpriseId ?? 1, name: enterprise?.name ?? overview.shop.name };
  return renderCampaign(
    { subject: draft.subject, body: draft.body, bodyFormat: "markdown" },
    {
      locale,
      timeZone: overview.shop.timeZone,
      orderCycle: sampleOrderCycle(now, coordinator),
      shopName: enterprise?.name ?? overview.shop.name,
      shopUrl: enterprise?.shopUrl ?? null,
    },
  );
}

export async function saveTemplateChoices(db: Db, shopId: string, choices: TemplateChoices): Promise<void> {
  const values = {
    mode: "custom",
    subject: choices.subject,
    bodyFormat: "markdown",
    body: choices.body,
    updatedAt: new Date(),
  };
  await db
    .insert(campaignTemplates)
    .values({ shopId, ...values })
    .onConflictDoUpdate({ target: campaignTemplates.shopId, set: values });
  await saveCampaignOptions(
    db,
    shopId,
    { fromName: choices.fromName, replyTo: choices.replyTo, delivery: choices.delivery },
    choices.locale,
  );
  await recordAudit(db, shopId, "setup.template", { locale: choices.locale });
}
