/**
 * OFN customers -> provider contacts. Documented in docs/sync.md; configurable per shop through
 * MappingSettings. Pure functions: no I/O, so they are easy to test exhaustively.
 */
import { createHash } from "node:crypto";
import type { OfnAddress, OfnCustomer } from "../ofn/types.js";
import type { MappedContact } from "../providers/types.js";
import type { MappingSettings } from "../shops/settings.js";

// Pragmatic: one @, no spaces, a dotted domain with a 2+ letter TLD; letters of any script allowed.
const EMAIL =
  /^[^\s@"(),:;<>[\\\]]{1,64}@(?=.{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email) && !email.includes("..");
}

const text = (value: string | null | undefined) => (value ?? "").trim();

function pickAddress(customer: OfnCustomer): OfnAddress | null {
  return customer.billing_address ?? customer.shipping_address ?? null;
}

function completeAddress(address: OfnAddress | null): MappedContact["address"] {
  if (!address) return undefined;
  const addr1 = text(address.street_address_1);
  const city = text(address.locality);
  const zip = text(address.postal_code);
  // Mailchimp rejects an ADDRESS without street, city and zip: send it only when complete.
  if (!addr1 || !city || !zip) return undefined;
  return {
    addr1,
    addr2: text(address.street_address_2),
    city,
    state: text(address.region?.name) || text(address.region?.code),
    zip,
    country: text(address.country?.code),
  };
}

export interface InvalidEmail {
  email: string;
  customerId: number;
  enterpriseId: number;
}

export interface ContactBook {
  contacts: Map<string, MappedContact>;
  /** OFN customer records merged into each contact (several when it buys from several enterprises). */
  sources: Map<string, number>;
  invalid: InvalidEmail[];
  skippedByConsent: number;
  fetched: number;
}

export function newContactBook(): ContactBook {
  return { contacts: new Map(), sources: new Map(), invalid: [], skippedByConsent: 0, fetched: 0 };
}

/**
 * Adds one enterprise's customers to the book. The same email in two enterprises becomes one
 * contact: names and phone from the first customer that has them, tags and codes merged.
 * Returns the emails of the contacts this page added to or changed.
 */
export function addCustomers(
  book: ContactBook,
  customers: OfnCustomer[],
  enterpriseName: string,
  mapping: MappingSettings,
  requireTag: string | null,
): string[] {
  const touched: string[] = [];
  for (const customer of customers) {
    book.fetched += 1;
    const email = normaliseEmail(customer.email ?? "");
    if (!isValidEmail(email)) {
      book.invalid.push({
        email: customer.email ?? "",
        customerId: customer.id,
        enterpriseId: customer.enterprise_id,
      });
      continue;
    }
    const ofnTags = (customer.tags ?? []).map((tag) => tag.trim()).filter(Boolean);
    if (requireTag && !ofnTags.some((tag) => tag.toLowerCase() === requireTag.toLowerCase())) {
      book.skippedByConsent += 1;
      continue;
    }
    const address = pickAddress(customer);
    const fallback = customer.billing_address ?? customer.shipping_address;
    const tags = [
      ...(mapping.ofnTags ? ofnTags.map((tag) => `${mapping.tagPrefix}${tag}`) : []),
      ...(mapping.enterpriseTag && enterpriseName ? [enterpriseName] : []),
    ];
    const candidate: MappedContact = {
      email,
      firstName: mapping.names ? text(customer.first_name) || text(fallback?.first_name) : "",
      lastName: mapping.names ? text(customer.last_name) || text(fallback?.last_name) : "",
      phone: mapping.phone
        ? text(customer.billing_address?.phone) || text(customer.shipping_address?.phone)
        : "",
      address: mapping.address ? completeAddress(address) : undefined,
      code: mapping.code ? text(customer.code) : "",
      tags,
      removeTags: [],
    };
    const existing = book.contacts.get(email);
    book.contacts.set(email, existing ? mergeContacts(existing, candidate) : candidate);
    book.sources.set(email, (book.sources.get(email) ?? 0) + 1);
    touched.push(email);
  }
  return touched;
}

function mergeContacts(a: MappedContact, b: MappedContact): MappedContact {
  const codes = [...new Set([a.code, b.code].flatMap((code) => code.split(",")).filter(Boolean))];
  return {
    email: a.email,
    firstName: a.firstName || b.firstName,
    lastName: a.lastName || b.lastName,
    phone: a.phone || b.phone,
    address: a.address ?? b.address,
    code: codes.join(","),
    tags: [...new Set([...a.tags, ...b.tags])],
    removeTags: [],
  };
}

/** Stable hash of what would be written; `scope` folds in what changes every contact (audience, consent). */
export function contactHash(contact: MappedContact, scope: string): string {
  const canonical = JSON.stringify([
    scope,
    contact.firstName,
    contact.lastName,
    contact.phone,
    contact.address ?? null,
    contact.code,
    [...contact.tags].sort(),
  ]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 32);
}
