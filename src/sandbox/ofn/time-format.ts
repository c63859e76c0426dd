/**
 * Rails `TimeWithZone` renderings, which OFN mixes in one webhook: `to_s` for `at`, `as_json` for
 * the data times. Built on Intl so any IANA zone works without a date library.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  date: string;
  time: string;
  millis: string;
  offsetMinutes: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const [year, month, day] = [parts.year ?? "", parts.month ?? "", parts.day ?? ""];
  const [hour, minute, second] = [parts.hour ?? "", parts.minute ?? "", parts.second ?? ""];
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  const asUtc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  return {
    date: `${year}-${month}-${day}`,
    time: `${hour}:${minute}:${second}`,
    millis: String(((instant.getTime() % 1000) + 1000) % 1000).padStart(3, "0"),
    offsetMinutes: Math.round((asUtc - wholeSeconds) / 60_000),
  };
}

function offset(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${sign}${hh}${colon ? ":" : ""}${mm}`;
}

/** Rails only treats the zone named UTC as "utc?", not a zone that happens to be at +00:00. */
function isUtcZone(timeZone: string): boolean {
  return ["UTC", "Etc/UTC", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"].includes(timeZone);
}

/** `TimeWithZone#to_s`: "2023-02-07 17:12:45 +1100", or "… UTC" in the UTC zone. */
export function formatRailsToS(instant: Date, timeZone: string): string {
  const clock = wallClock(instant, timeZone);
  const suffix = isUtcZone(timeZone) ? "UTC" : offset(clock.offsetMinutes, false);
  return `${clock.date} ${clock.time} ${suffix}`;
}

/** `TimeWithZone#as_json`: "2023-02-07T17:12:45.000+11:00", "Z" in the UTC zone. */
export function formatRailsJson(instant: Date, timeZone: string): string {
  const clock = wallClock(instant, timeZone);
  const suffix = isUtcZone(timeZone) ? "Z" : offset(clock.offsetMinutes, true);
  return `${clock.date}T${clock.time}.${clock.millis}${suffix}`;
}

/**
 * JSON as OFN's Rails emits it: `escape_html_entities_in_json` turns & < > into \u0026 \u003c
 * \u003e, and Ruby floats keep their ".0" (wrap them with `rubyFloat`).
 */
export function toRailsJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(new RegExp(`"${FLOAT_MARK}([^"]*)"`, "g"), "$1")
    .replace(/&/g, "\\u0026")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e");
}

/** Invisible separator: JSON.stringify leaves it unescaped, and real data never starts with it. */
const FLOAT_MARK = "\u2063rubyFloat:";

class RubyFloat {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `${FLOAT_MARK}${this.text}`;
  }
}

/** A number that `toRailsJson` renders the way Ruby's Float#to_s does (0.0, 20.0, 10.5). */
export function rubyFloat(value: number): unknown {
  return new RubyFloat(Number.isInteger(value) ? value.toFixed(1) : String(value));
}
