/** What a shop's audience holds in a provider simulator, in one comparable shape. */
import type { TestShop, World } from "./world.js";

export interface AudienceEntry {
  status: string;
  fields: Record<string, unknown>;
  tags: string[];
}

export function audienceOf(world: World, shop: TestShop): Map<string, AudienceEntry> {
  const out = new Map<string, AudienceEntry>();
  if (shop.provider === "mailchimp") {
    const list = world.mailchimp.account(shop.providerKey).lists.get(shop.audienceId)!;
    for (const member of list.members.values()) {
      out.set(member.email, {
        status: member.status,
        fields: { ...member.mergeFields },
        tags: world.mailchimp.memberTags(shop.providerKey, shop.audienceId, member.email).sort(),
      });
    }
    return out;
  }
  const listId = Number(shop.audienceId);
  for (const contact of world.brevo.account(shop.providerKey).contacts.values()) {
    out.set(contact.email, {
      status: contact.emailBlacklisted
        ? "blocklisted"
        : contact.listIds.includes(listId)
          ? "in_list"
          : "not_in_list",
      fields: { ...contact.attributes },
      tags: String(contact.attributes.OFN_TAGS ?? "")
        .split(",")
        .filter(Boolean)
        .sort(),
    });
  }
  return out;
}

/** The audience without per-account details (timestamps, ids), for comparing two runs. */
export function comparableAudience(audience: Map<string, AudienceEntry>): string {
  return JSON.stringify(
    [...audience.entries()]
      .map(([email, entry]) => [
        email,
        entry.status,
        JSON.stringify(Object.entries(entry.fields).sort()),
        entry.tags,
      ])
      .sort(),
  );
}

/** Marks a contact unsubscribed the way the provider does (Mailchimp status, Brevo blocklist). */
export function unsubscribe(world: World, shop: TestShop, email: string): void {
  if (shop.provider === "mailchimp")
    world.mailchimp.setMemberStatus(shop.providerKey, shop.audienceId, email, "unsubscribed");
  else world.brevo.blocklist(shop.providerKey, email);
}

export const UNSUBSCRIBED = { mailchimp: "unsubscribed", brevo: "blocklisted" } as const;
