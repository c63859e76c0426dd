/**
 * Template rendering: `{{variable}}` placeholders in a subject and a Markdown or HTML body.
 * Placeholders become opaque tokens before Markdown and sanitising run, and are filled with
 * HTML-escaped values last, so no value (an order cycle named `<b>`) can add markup and no
 * Markdown rule can mangle a value.
 */
import { randomBytes } from "node:crypto";
import { marked } from "marked";
import type { Locale } from "../web/i18n/index.js";
import type { TemplateSource } from "./default-templates.js";
import { MISSING_VALUE } from "./default-templates.js";
import { formatInstant, safeTimeZone } from "./format.js";
import type { OrderCycleData } from "./payload.js";
import { escapeHtml, isSafeUrl, sanitizeHtml } from "./sanitize.js";

export const TEMPLATE_VARIABLES = [
  "order_cycle_name",
  "opens_at",
  "opens_date",
  "opens_time",
  "closes_at",
  "closes_date",
  "closes_time",
  "coordinator_name",
  "shop_name",
  "shop_url",
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export interface RenderContext {
  locale: Locale;
  timeZone: string;
  orderCycle: OrderCycleData;
  shopName: string;
  shopUrl: string | null;
}

export interface RenderedCampaign {
  subject: string;
  /** The sanitised body alone, for the setup page's live preview. */
  bodyHtml: string;
  /** A complete document for the provider. */
  html: string;
  /** Plain values, for provider templates (Brevo params, Mailchimp sections). */
  variables: Record<TemplateVariable, string>;
  /** Placeholders the template uses that the bridge does not know (shown in the preview). */
  unknownVariables: string[];
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;
const SUBJECT_MAX = 150;

export function templateVariables(context: RenderContext): Record<TemplateVariable, string> {
  const { locale, orderCycle } = context;
  const timeZone = safeTimeZone(context.timeZone);
  const opens = formatInstant(new Date(orderCycle.ordersOpenAt ?? orderCycle.openedAt), locale, timeZone);
  const closes = orderCycle.ordersCloseAt
    ? formatInstant(new Date(orderCycle.ordersCloseAt), locale, timeZone)
    : undefined;
  const noClose = MISSING_VALUE[locale].noClose;
  return {
    order_cycle_name: orderCycle.name,
    opens_at: opens.dateTime,
    opens_date: opens.date,
    opens_time: opens.time,
    closes_at: closes?.dateTime ?? noClose,
    closes_date: closes?.date ?? noClose,
    closes_time: closes?.time ?? "",
    coordinator_name: orderCycle.coordinatorName,
    shop_name: context.shopName,
    // Only a web address may become a link target.
    shop_url: context.shopUrl && /^https?:\/\//i.test(context.shopUrl) ? context.shopUrl : "",
  };
}

function isKnown(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}

export function renderCampaign(template: TemplateSource, context: RenderContext): RenderedCampaign {
  const variables = templateVariables(context);
  const unknown = new Set<string>();
  const subject = template.subject
    .replace(PLACEHOLDER, (whole, name: string) => {
      const key = name.toLowerCase();
      if (isKnown(key)) return variables[key];
      unknown.add(name);
      return whole;
    })
    .replace(/[\r\n\t]+/g, " ")
    .trim()
    .slice(0, SUBJECT_MAX);

  const body = preparedBody(template);
  for (const name of body.unknown) unknown.add(name);
  const bodyHtml = body.safe.replace(body.tokens, (_whole, index: string) => {
    const name = TEMPLATE_VARIABLES[Number(index)];
    return name ? escapeHtml(variables[name]) : "";
  });
  return {
    subject,
    bodyHtml,
    html: wrapDocument(bodyHtml, subject, context.locale),
    variables,
    unknownVariables: [...unknown],
  };
}

interface PreparedBody {
  /** The sanitised HTML with a token where each known variable goes. */
  safe: string;
  tokens: RegExp;
  unknown: string[];
}

/** Markdown and sanitising cost ~0.5 ms and depend on the template alone: done once per template. */
const preparedBodies = new Map<string, PreparedBody>();
const PREPARED_MAX = 256;

function preparedBody(template: TemplateSource): PreparedBody {
  const key = `${template.bodyFormat}\u0000${template.body}`;
  const cached = preparedBodies.get(key);
  if (cached) return cached;
  // Letters and digits only: Markdown leaves them alone and URL encoding does not change them.
  const nonce = randomBytes(6).toString("hex");
  const tokenOf = (name: TemplateVariable) => `ofnv${nonce}x${TEMPLATE_VARIABLES.indexOf(name)}x`;
  const unknown = new Set<string>();
  const tokenized = template.body.replace(PLACEHOLDER, (whole, name: string) => {
    const key = name.toLowerCase();
    if (isKnown(key)) return tokenOf(key);
    unknown.add(name);
    return whole;
  });
  const rawHtml =
    template.bodyFormat === "markdown"
      ? (marked.parse(tokenized, { async: false, gfm: true, breaks: true }) as string)
      : tokenized;
  const urlToken = tokenOf("shop_url");
  const prepared = {
    safe: sanitizeHtml(rawHtml, { allowUrl: (url) => isSafeUrl(url) || url.trim() === urlToken }),
    tokens: new RegExp(`ofnv${nonce}x(\\d+)x`, "g"),
    unknown: [...unknown],
  };
  if (preparedBodies.size >= PREPARED_MAX) preparedBodies.delete(preparedBodies.keys().next().value!);
  preparedBodies.set(key, prepared);
  return prepared;
}

function wrapDocument(body: string, subject: string, locale: Locale): string {
  return [
    "<!DOCTYPE html>",
    `<html lang="${locale}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body>${body}</body></html>`,
  ].join("\n");
}
