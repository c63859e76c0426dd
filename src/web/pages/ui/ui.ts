import type { Context } from "hono";
import { intlLocale } from "../../../campaigns/format.js";
import type { Locale, Translate } from "../../i18n/index.js";
import type { PageEnv } from "../env.js";

/** What views need from the request: words, language, the form token, whether someone is signed in. */
export interface Ui {
  t: Translate;
  locale: Locale;
  csrf: string;
  signedIn: boolean;
}

export function uiOf(c: Context<PageEnv>): Ui {
  return {
    t: c.get("t"),
    locale: c.get("locale"),
    csrf: c.get("csrfToken"),
    signedIn: Boolean(c.get("session")),
  };
}

/** A date and time in the reader's language and the shop's time zone, e.g. "7 Feb 2026, 17:10". */
export function formatDateTime(ui: Ui, timeZone: string, at: Date | null | undefined): string {
  if (!at) return "—";
  try {
    return new Intl.DateTimeFormat(intlLocale(ui.locale, timeZone), {
      timeZone,
      dateStyle: "medium",
      timeStyle: "short",
    }).format(at);
  } catch {
    return at.toISOString();
  }
}
