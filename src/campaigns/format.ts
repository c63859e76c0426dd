/** Dates and times of an order cycle as a shop's customers read them: the shop's language and time zone. */
import type { Locale } from "../web/i18n/index.js";

/**
 * Bridge locales are languages; Intl wants a region for date conventions. The time zone is the
 * best hint we have (an Australian shop writes "5:10 pm", a French one "17:10").
 */
export function intlLocale(locale: Locale, timeZone: string): string {
  const americas = timeZone.startsWith("America/");
  if (locale === "fr") return americas ? "fr-CA" : "fr-FR";
  if (timeZone.startsWith("Australia/")) return "en-AU";
  if (timeZone === "Pacific/Auckland") return "en-NZ";
  return americas ? "en-CA" : "en-GB";
}

export interface InstantParts {
  /** "Tuesday 7 February at 17:10" / "mardi 7 février à 17:10" */
  dateTime: string;
  date: string;
  time: string;
}

interface Formatters {
  dateTime: Intl.DateTimeFormat;
  date: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
}

/**
 * Building an Intl.DateTimeFormat costs a fraction of a millisecond (it loads locale data), far
 * more than formatting with it: one set per language and zone, kept. Both are few.
 */
const formatters = new Map<string, Formatters>();

function formattersFor(locale: Locale, timeZone: string): Formatters {
  const key = `${locale}|${timeZone}`;
  const known = formatters.get(key);
  if (known) return known;
  const tag = intlLocale(locale, timeZone);
  const twelveHour = ["h11", "h12"].includes(
    new Intl.DateTimeFormat(tag, { hour: "numeric" }).resolvedOptions().hourCycle ?? "",
  );
  const hour = twelveHour ? "numeric" : "2-digit";
  const day = { weekday: "long", day: "numeric", month: "long" } as const;
  const made = {
    dateTime: new Intl.DateTimeFormat(tag, { timeZone, ...day, hour, minute: "2-digit" }),
    date: new Intl.DateTimeFormat(tag, { timeZone, ...day }),
    time: new Intl.DateTimeFormat(tag, { timeZone, hour, minute: "2-digit" }),
  };
  formatters.set(key, made);
  return made;
}

export function formatInstant(instant: Date, locale: Locale, timeZone: string): InstantParts {
  const f = formattersFor(locale, timeZone);
  return { dateTime: f.dateTime.format(instant), date: f.date.format(instant), time: f.time.format(instant) };
}

const knownZones = new Set<string>();

/** A stored time zone that Intl does not know would throw at every render: fall back to UTC. */
export function safeTimeZone(timeZone: string): string {
  if (knownZones.has(timeZone)) return timeZone;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    knownZones.add(timeZone);
    return timeZone;
  } catch {
    return "UTC";
  }
}
