/** How contacts are found by identifier and shown in API responses. */
import type { BrevoAccount, BrevoContact } from "./types.js";
import { iso, normalisePhone } from "./values.js";

/**
 * Resolves `/contacts/{identifier}`: Brevo guesses the kind (email, numeric id, SMS, ext_id)
 * unless `identifierType` names it.
 */
export function findContact(
  account: BrevoAccount,
  identifier: string,
  identifierType?: string,
): BrevoContact | undefined {
  switch (identifierType) {
    case "email_id":
      return account.contacts.get(identifier.trim().toLowerCase());
    case "contact_id":
      return account.contactsById.get(Number(identifier));
    case "ext_id":
      return account.contactsByExtId.get(identifier);
    case "phone_id": {
      const sms = normalisePhone(identifier);
      return sms ? account.contactsBySms.get(sms) : undefined;
    }
  }
  if (identifier.includes("@")) return account.contacts.get(identifier.trim().toLowerCase());
  if (/^\d+$/.test(identifier)) return account.contactsById.get(Number(identifier));
  const sms = normalisePhone(identifier);
  return (sms ? account.contactsBySms.get(sms) : undefined) ?? account.contactsByExtId.get(identifier);
}

export function contactJson(contact: BrevoContact): Record<string, unknown> {
  return {
    email: contact.email,
    id: contact.id,
    emailBlacklisted: contact.emailBlacklisted,
    smsBlacklisted: contact.smsBlacklisted,
    createdAt: iso(contact.createdAt),
    modifiedAt: iso(contact.modifiedAt),
    attributes: { ...contact.attributes },
    listIds: [...contact.listIds],
    listUnsubscribed: [...contact.listUnsubscribed],
  };
}
