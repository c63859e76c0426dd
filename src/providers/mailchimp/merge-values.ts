/**
 * A contact's merge_fields. Empty values are left out rather than sent as "" so a customer who
 * has not given a phone number in OFN never wipes the one the shop keeps in Mailchimp, and
 * nothing is ever null (Mailchimp refuses null: "Data did not match any of the schemas").
 */
import type { FieldPreparation, MappedContact } from "../types.js";
import type { AudienceInfo } from "./audience.js";

// Mailchimp rejects longer address lines.
const MAX_ADDRESS_LINE = 45;

export function mergeFieldsFor(
  contact: MappedContact,
  info: AudienceInfo,
  available: FieldPreparation["available"],
): Record<string, string | Record<string, string>> {
  const out: Record<string, string | Record<string, string>> = {};
  const put = (field: keyof AudienceInfo["tags"], value: string | Record<string, string> | undefined) => {
    const tag = info.tags[field];
    if (!tag || !available.has(field) || value === undefined || value === "") return;
    out[tag] = value;
  };
  put("firstName", contact.firstName.trim());
  put("lastName", contact.lastName.trim());
  put("phone", phoneValue(contact.phone, info.phoneFormat));
  put("address", addressValue(contact.address));
  put("code", contact.code.trim());
  return out;
}

/**
 * A "US" phone field takes only (###) ###-####; anything else would make Mailchimp refuse the
 * whole contact, so such a number is left out. Other formats take the number as entered.
 */
function phoneValue(phone: string, format: string): string | undefined {
  const trimmed = phone.trim();
  if (format.toUpperCase() !== "US") return trimmed;
  const digits = trimmed.replace(/\D/g, "").replace(/^1(?=\d{10}$)/, "");
  if (digits.length !== 10) return undefined;
  return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
}

/**
 * Only a complete address (addr1, city, state, zip): an incomplete one is refused with "Please
 * enter a complete address", and one accepted once can make every later update fail.
 */
function addressValue(address: MappedContact["address"]): Record<string, string> | undefined {
  if (!address) return undefined;
  const line = (value: string) => value.trim().slice(0, MAX_ADDRESS_LINE);
  const value = {
    addr1: line(address.addr1),
    addr2: line(address.addr2),
    city: line(address.city),
    state: line(address.state),
    zip: line(address.zip),
    country: address.country.trim().toUpperCase(),
  };
  if (!value.addr1 || !value.city || !value.state || !value.zip) return undefined;
  // Mailchimp would file an address without a valid ISO 3166-1 alpha-2 country under the US.
  if (!/^[A-Z]{2}$/.test(value.country)) return undefined;
  return value;
}
