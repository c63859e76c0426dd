/** What the provider receives for one campaign row: rendered once, then frozen in details. */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { campaignTemplates } from "../db/schema/index.js";
import type { CampaignInput } from "../providers/types.js";
import type { ShopContext, TemplateRow } from "../shops/context.js";
import { isLocale, type Locale } from "../web/i18n/index.js";
import { type CampaignKind, defaultTemplate, type TemplateSource } from "./default-templates.js";
import type { CampaignOrigin } from "./opening-plan.js";
import type { OrderCycleData } from "./payload.js";
import { renderCampaign } from "./render.js";

/** The frozen content: a retry sends exactly what the first attempt prepared. */
export interface FrozenContent {
  title: string;
  subject: string;
  html: string;
  providerTemplateId?: string;
  templateParams?: Record<string, string>;
}

export function shopLocale(value: string): Locale {
  return isLocale(value) ? value : "en";
}

/** The shop's template for this kind, or the default one in the shop's language. */
export async function loadTemplate(
  db: Db,
  shopId: string,
  locale: Locale,
  kind: CampaignKind,
): Promise<TemplateSource & { providerTemplateId?: string }> {
  const [row] = await db
    .select()
    .from(campaignTemplates)
    .where(eq(campaignTemplates.shopId, shopId))
    .limit(1);
  return templateFor(row, locale, kind);
}

/** The template a campaign of this kind uses, from the shop's saved one (if any). */
export function templateFor(
  row: TemplateRow | undefined,
  locale: Locale,
  kind: CampaignKind,
): TemplateSource & { providerTemplateId?: string } {
  const fallback = defaultTemplate(locale, kind);
  if (!row) return fallback;
  const bodyFormat = row.bodyFormat === "html" ? "html" : "markdown";
  const providerTemplateId =
    row.mode === "provider" && row.providerTemplateId ? row.providerTemplateId : undefined;
  if (kind === "last_call") {
    // A last call is always the bridge's own content: provider templates describe the announcement.
    return row.lastCallSubject && row.lastCallBody
      ? { subject: row.lastCallSubject, body: row.lastCallBody, bodyFormat }
      : fallback;
  }
  return { subject: row.subject, body: row.body, bodyFormat, providerTemplateId };
}

/** The shop's enterprise a campaign speaks for: the one chosen at intake, else the shop itself. */
export function speakingFor(context: ShopContext, origin: Partial<CampaignOrigin>) {
  const enterprise = context.enterprises.find((e) => e.enterpriseId === origin.enterpriseId);
  return {
    shopName: enterprise?.name ?? context.shop.name,
    shopUrl: enterprise?.shopUrl ?? null,
  };
}

export function prepareContent(
  context: ShopContext,
  campaign: { id: string; kind: string; orderCycle: unknown },
  origin: Partial<CampaignOrigin>,
): FrozenContent {
  const locale = shopLocale(context.shop.locale);
  const kind = campaign.kind as CampaignKind;
  const orderCycle = campaign.orderCycle as OrderCycleData;
  const template = templateFor(context.template, locale, kind);
  const rendered = renderCampaign(template, {
    locale,
    timeZone: context.shop.timeZone,
    orderCycle,
    ...speakingFor(context, origin),
  });
  return {
    title: campaignTitle(campaign.id, kind, orderCycle.name),
    subject: rendered.subject,
    html: rendered.html,
    ...(template.providerTemplateId
      ? { providerTemplateId: template.providerTemplateId, templateParams: rendered.variables }
      : {}),
  };
}

/**
 * Unique per campaign row: after a crash between "create" and recording its id, the executor
 * finds the provider campaign by this title instead of creating a second one.
 */
export function campaignTitle(id: string, kind: string, orderCycleName: string): string {
  return `[ofn-bridge ${id}] ${kind} · ${orderCycleName}`.slice(0, 100);
}

export function campaignInput(context: ShopContext, content: FrozenContent): CampaignInput {
  const { settings } = context;
  const enterpriseName = context.enterprises.find((e) => e.announceCycles)?.name;
  return {
    audienceId: context.connection?.audienceId ?? "",
    ...(settings.campaigns.recipientsTag ? { segmentTag: settings.campaigns.recipientsTag } : {}),
    title: content.title,
    subject: content.subject,
    fromName: settings.campaigns.fromName || enterpriseName || context.shop.name,
    replyTo: settings.campaigns.replyTo || context.shop.contactEmail || "",
    html: content.html,
    ...(content.providerTemplateId
      ? { providerTemplateId: content.providerTemplateId, templateParams: content.templateParams }
      : {}),
  };
}
