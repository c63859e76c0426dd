/** Value rules Brevo applies to identifiers and attributes. */
import type { BrevoAttribute } from "./types.js";

const EMAIL = /^[^\s@;,]+@[^\s@;,]+\.[^\s@;,]+$/;

/** Lowercased address, or undefined when Brevo would reject it. */
export function normaliseEmail(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  const email = raw.trim().toLowerCase();
  return EMAIL.test(email) ? email : undefined;
}

/**
 * Digits of an international number, or undefined without a country code. Brevo accepts
 * "+33…", "0033…" and bare "33…" (SDK note: "91xxxxxxxxxx +91xxxxxxxxxx 0091xxxxxxxxxx");
 * a national "06…" is rejected. Bare digits need 11+ to hold a country code.
 */
export function normalisePhone(raw: unknown): string | undefined {
  if (typeof raw !== "string" && typeof raw !== "number") return undefined;
  const compact = String(raw)
    .trim()
    .replace(/[\s().-]/g, "");
  let digits: string;
  if (compact.startsWith("+")) digits = compact.slice(1);
  else if (compact.startsWith("00")) digits = compact.slice(2);
  else if (compact.startsWith("0") || compact.length < 11) return undefined;
  else digits = compact;
  return /^[1-9]\d{7,14}$/.test(digits) ? digits : undefined;
}

export const CLEAR = Symbol("clear");
export const DROP = Symbol("drop");

/**
 * The stored form of an attribute value; DROP when Brevo would silently ignore it ("values
 * that don't match the attribute type are ignored"), CLEAR for an empty value.
 */
export function coerceAttribute(attribute: BrevoAttribute, value: unknown): unknown {
  if (value === null || value === undefined || value === "") return CLEAR;
  switch (attribute.type) {
    case "float": {
      const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
      return Number.isFinite(n) ? n : DROP;
    }
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "yes" || value === "1") return true;
      if (value === "false" || value === "no" || value === "0") return false;
      return DROP;
    case "date":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : DROP;
    case "multiple-choice":
      return Array.isArray(value) && value.every((v) => typeof v === "string") ? [...value] : DROP;
    default:
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      if (attribute.category === "category" && typeof value === "number") return value;
      return DROP;
  }
}

/** Attributes a fresh English-language account has (GET /contacts/attributes on a new account). */
export const DEFAULT_ATTRIBUTES: BrevoAttribute[] = [
  { name: "LASTNAME", category: "normal", type: "text" },
  { name: "FIRSTNAME", category: "normal", type: "text" },
  { name: "SMS", category: "normal", type: "text" },
  { name: "WHATSAPP", category: "normal", type: "text" },
  { name: "LANDLINE_NUMBER", category: "normal", type: "text" },
  { name: "EXT_ID", category: "normal", type: "text" },
];

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Parses Brevo's date-time filters (modifiedSince, createdSince); undefined when absent or invalid. */
export function parseSince(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}
