/** The templates a shop starts from, in its language; edited in the setup page (Markdown). */
import type { Locale } from "../web/i18n/index.js";

export type CampaignKind = "announcement" | "last_call" | "test";

export interface TemplateSource {
  subject: string;
  body: string;
  bodyFormat: "markdown" | "html";
}

const DEFAULTS: Record<Locale, Record<"announcement" | "last_call", TemplateSource>> = {
  en: {
    announcement: {
      subject: "{{order_cycle_name}}: orders are open at {{shop_name}}",
      bodyFormat: "markdown",
      body: [
        "## {{order_cycle_name}} is open",
        "",
        "You can order from **{{opens_at}}** until **{{closes_at}}**.",
        "",
        "[Order now at {{shop_name}}]({{shop_url}})",
        "",
        "See you soon,  ",
        "{{shop_name}}",
      ].join("\n"),
    },
    last_call: {
      subject: "Last call: {{order_cycle_name}} closes {{closes_at}}",
      bodyFormat: "markdown",
      body: [
        "## Last call for {{order_cycle_name}}",
        "",
        "Orders close on **{{closes_at}}**.",
        "",
        "[Order now at {{shop_name}}]({{shop_url}})",
      ].join("\n"),
    },
  },
  fr: {
    announcement: {
      subject: "{{order_cycle_name}} : les commandes sont ouvertes chez {{shop_name}}",
      bodyFormat: "markdown",
      body: [
        "## {{order_cycle_name}} est ouvert",
        "",
        "Vous pouvez commander du **{{opens_at}}** au **{{closes_at}}**.",
        "",
        "[Commander chez {{shop_name}}]({{shop_url}})",
        "",
        "À bientôt,  ",
        "{{shop_name}}",
      ].join("\n"),
    },
    last_call: {
      subject: "Dernier appel : {{order_cycle_name}} ferme le {{closes_at}}",
      bodyFormat: "markdown",
      body: [
        "## Dernier appel pour {{order_cycle_name}}",
        "",
        "Les commandes ferment le **{{closes_at}}**.",
        "",
        "[Commander chez {{shop_name}}]({{shop_url}})",
      ].join("\n"),
    },
  },
};

/** Words the renderer puts in place of a missing value, in the campaign's language. */
export const MISSING_VALUE: Record<Locale, { noClose: string }> = {
  en: { noClose: "(no closing date)" },
  fr: { noClose: "(pas de date de fermeture)" },
};

export function defaultTemplate(locale: Locale, kind: CampaignKind): TemplateSource {
  return DEFAULTS[locale][kind === "last_call" ? "last_call" : "announcement"];
}
