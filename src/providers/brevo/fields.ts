/**
 * Contact attributes: which names this account uses (FIRSTNAME vs FNAME vs PRENOM, brevo.md §2.6),
 * the two the bridge creates (OFN_CODE, OFN_TAGS), and a contact's values. Brevo silently drops
 * unknown names, so nothing is sent that was not seen in GET /contacts/attributes.
 */
import { UpstreamError } from "../../errors.js";
import type { FieldPreparation, MappedContact } from "../types.js";
import type { BrevoApi } from "./client.js";

/** The account's attribute name for each value the bridge writes; undefined = not writable. */
export interface AttributeNames {
  firstName?: string;
  lastName?: string;
  sms?: string;
  code?: string;
  tags?: string;
}

const CANDIDATES = {
  firstName: ["FIRSTNAME", "FNAME", "PRENOM"],
  lastName: ["LASTNAME", "LNAME", "NOM"],
} as const;

/** Created when missing: EXT_ID is a unique identifier that would collide across shops sharing an account. */
const OWN = { code: "OFN_CODE", tags: "OFN_TAGS" } as const;

interface Attribute {
  name: string;
  category: string;
  type?: string;
}

const writable = (a: Attribute | undefined) => a?.category === "normal" && (a.type ?? "text") === "text";
/** SMS is Brevo's own identifier attribute: any normal SMS attribute takes an international number. */
const usableSms = (a: Attribute | undefined) => a?.category === "normal";

export async function readAttributes(api: BrevoApi): Promise<Map<string, Attribute>> {
  const { attributes } = await api.call("contacts", (sdk) => sdk.contacts.getAttributes());
  return new Map(attributes.map((a) => [a.name.toUpperCase(), { ...a, name: a.name.toUpperCase() }]));
}

/** Names usable without creating anything (writeContacts before prepareFields). */
export function namesFrom(attributes: Map<string, Attribute>): AttributeNames {
  const pick = (names: readonly string[]) => names.find((n) => writable(attributes.get(n)));
  return {
    firstName: pick(CANDIDATES.firstName),
    lastName: pick(CANDIDATES.lastName),
    sms: usableSms(attributes.get("SMS")) ? "SMS" : undefined,
    code: writable(attributes.get(OWN.code)) ? OWN.code : undefined,
    tags: writable(attributes.get(OWN.tags)) ? OWN.tags : undefined,
  };
}

/** Reads the attributes, creates OFN_CODE and OFN_TAGS as text when missing, reports what is usable. */
export async function prepareAttributes(
  api: BrevoApi,
): Promise<{ names: AttributeNames; preparation: FieldPreparation }> {
  const attributes = await readAttributes(api);
  const warnings: string[] = [];
  for (const name of Object.values(OWN)) {
    const existing = attributes.get(name);
    if (existing) {
      if (!writable(existing)) {
        warnings.push(
          `The Brevo attribute ${name} exists but is not a normal text attribute; it is left empty.`,
        );
      }
      continue;
    }
    try {
      await api.call("contacts", (sdk) =>
        sdk.contacts.createAttribute({ attributeCategory: "normal", attributeName: name, type: "text" }),
      );
      attributes.set(name, { name, category: "normal", type: "text" });
    } catch (error) {
      // A refusal (plan, permissions) only costs this field; auth and outages stop the run.
      if (!(error instanceof UpstreamError) || !error.permanent || error.options.authFailed) throw error;
      // A retried create whose first try went through: the attribute is there.
      if (error.options.providerCode === "duplicate_parameter") {
        attributes.set(name, { name, category: "normal", type: "text" });
        continue;
      }
      warnings.push(`The bridge could not create the Brevo attribute ${name}: ${error.message}`);
    }
  }
  const names = namesFrom(attributes);
  const available: FieldPreparation["available"] = new Set(["email", "tags"]);
  if (names.firstName) available.add("firstName");
  else warnings.push(missing("first names", CANDIDATES.firstName));
  if (names.lastName) available.add("lastName");
  else warnings.push(missing("last names", CANDIDATES.lastName));
  if (names.sms) available.add("phone");
  else warnings.push(missing("phone numbers", ["SMS"]));
  if (names.code) available.add("code");
  if (names.tags) available.add("tagsAttribute");
  return { names, preparation: { available, warnings } };
}

const missing = (what: string, names: readonly string[]) =>
  `This Brevo account has no ${names.join(" / ")} text attribute, so ${what} are not sent. Create one in Brevo (Contacts → Settings → Contact attributes) to send them.`;

/**
 * An international number as Brevo's SMS attribute wants it (+<country><number>), or undefined
 * when the phone has no country code: a national "06…" would fail the whole row (brevo.md §2.6).
 */
export function internationalPhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s().\-/]/g, "");
  const digits = compact.startsWith("+")
    ? compact.slice(1)
    : compact.startsWith("00")
      ? compact.slice(2)
      : "";
  return /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : undefined;
}

/**
 * The attributes of one contact. Empty values are left out, so an import never wipes what Brevo
 * already holds (also emptyContactsAttributes: false); EMAIL is never an attribute here.
 */
export function contactAttributes(
  contact: MappedContact,
  names: AttributeNames,
  available: FieldPreparation["available"],
  tagMode: "attribute" | "lists",
): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string | undefined, value: string | undefined) => {
    const text = value?.trim();
    if (name && text) out[name] = text;
  };
  if (available.has("firstName")) put(names.firstName, contact.firstName);
  if (available.has("lastName")) put(names.lastName, contact.lastName);
  if (available.has("phone")) put(names.sms, internationalPhone(contact.phone));
  if (available.has("code")) put(names.code, contact.code);
  if (tagMode === "attribute" && available.has("tagsAttribute")) put(names.tags, contact.tags.join(", "));
  return out;
}
