/** The account behind a key: who it is, its audiences, and the senders campaigns can use. */
import { z } from "zod";
import type { AccountInfo, Audience, Sender } from "../types.js";
import { type McClient, readBody } from "./client.js";

const rootSchema = z.looseObject({ account_name: z.string(), email: z.string().optional() });
const listsSchema = z.looseObject({
  lists: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      double_optin: z.boolean().optional(),
      stats: z.looseObject({ member_count: z.number().optional() }).optional(),
      campaign_defaults: z
        .looseObject({ from_name: z.string().optional(), from_email: z.string().optional() })
        .optional(),
    }),
  ),
});
const domainsSchema = z.looseObject({
  domains: z.array(z.looseObject({ domain: z.string(), verified: z.boolean().optional() })),
});

/** GET /ping proves the key works; GET / names the account for the shop. */
export async function verifyAccount(client: McClient): Promise<AccountInfo> {
  await client.call("idempotent", "checking the API key", (api) => api.ping.get());
  const root = readBody(
    rootSchema,
    await client.call("idempotent", "reading the account", (api) =>
      api.root.getRoot({ fields: ["account_name", "email"] }),
    ),
    "the account",
  );
  return {
    label: `${client.dc} · ${root.account_name}`,
    name: root.account_name,
    ...(root.email ? { email: root.email } : {}),
  };
}

async function readLists(client: McClient) {
  const body = await client.call("idempotent", "reading audiences", (api) =>
    api.lists.getAllLists({
      count: 1000,
      fields: [
        "lists.id",
        "lists.name",
        "lists.double_optin",
        "lists.stats.member_count",
        "lists.campaign_defaults.from_name",
        "lists.campaign_defaults.from_email",
      ],
    }),
  );
  return readBody(listsSchema, body, "the audiences").lists;
}

export async function listAudiences(client: McClient): Promise<Audience[]> {
  return (await readLists(client)).map((list) => ({
    id: list.id,
    name: list.name,
    ...(list.stats?.member_count !== undefined ? { memberCount: list.stats.member_count } : {}),
    doubleOptIn: list.double_optin ?? false,
  }));
}

/**
 * Mailchimp has no list of sender addresses: campaigns send from `reply_to`, which must be on a
 * verified domain. So the senders offered are the audiences' default From addresses, marked
 * verified when their domain is in GET /verified-domains. The send checklist stays the final
 * word (checkCampaign).
 */
export async function listSenders(client: McClient): Promise<Sender[]> {
  const [lists, verified] = await Promise.all([readLists(client), verifiedDomains(client)]);
  const senders = new Map<string, Sender>();
  for (const list of lists) {
    const email = list.campaign_defaults?.from_email?.trim();
    if (!email || senders.has(email.toLowerCase())) continue;
    const domain = email.split("@")[1]?.toLowerCase() ?? "";
    senders.set(email.toLowerCase(), {
      email,
      name: list.campaign_defaults?.from_name ?? "",
      verified: verified.has(domain),
    });
  }
  return [...senders.values()];
}

async function verifiedDomains(client: McClient): Promise<Set<string>> {
  try {
    const body = await client.call("idempotent", "reading verified domains", (api) =>
      api.verifiedDomains.getVerifiedDomainsAll(),
    );
    const domains = readBody(domainsSchema, body, "the verified domains").domains;
    return new Set(domains.filter((d) => d.verified).map((d) => d.domain.toLowerCase()));
  } catch (error) {
    // Where the endpoint does not exist (the simulator has none) senders are only shown
    // unverified; the send checklist still catches an unverified one before any send.
    if ((error as { options?: { status?: number } }).options?.status === 404) return new Set();
    throw error;
  }
}
