/**
 * Connecting a shop: the OFN key is checked live, then the shop row is created (or found again:
 * pasting the same key on the same instance signs the shop back in).
 */
import { eq, inArray } from "drizzle-orm";
import { ofnKeyContext, ofnKeyLookupInput, providerKeyContext } from "../crypto/contexts.js";
import type { Keyring } from "../crypto/keyring.js";
import type { Db } from "../db/client.js";
import { auditLog, providerConnections, shopEnterprises, shops } from "../db/schema/index.js";
import { AppError } from "../errors.js";
import type { OfnClient } from "../ofn/client.js";
import type { OfnEnterprise, OfnShopInfo } from "../ofn/types.js";
import type { ProviderKind } from "../providers/types.js";

export interface ConnectDeps {
  db: Db;
  keyring: Keyring;
}

const OFN_KEY = /^[0-9a-f]{48}$/;

/** OFN keys are 48 lowercase hex characters; anything else cannot be one (and a blank key reads as "no data"). */
export function normaliseOfnKey(input: string): string {
  const key = input.trim().toLowerCase();
  if (!OFN_KEY.test(key)) {
    throw new AppError("VALIDATION", "An OFN API key is 48 characters: digits and letters a to f.", {
      messageKey: "ofn.key.format",
    });
  }
  return key;
}

export async function findShopByOfnKey(deps: ConnectDeps, instance: string, apiKey: string) {
  const lookups = deps.keyring.lookupHashes(ofnKeyLookupInput(instance, apiKey));
  const [shop] = await deps.db.select().from(shops).where(inArray(shops.ofnKeyLookup, lookups)).limit(1);
  return shop;
}

/**
 * Validates the key against OFN (the enterprises list 401s on a wrong key) and creates or
 * refreshes the shop. Returns the shop id and whether it is new.
 */
export async function connectShop(
  deps: ConnectDeps,
  input: { instance: string; apiKey: string; ofn: OfnClient; locale?: string },
): Promise<{ shopId: string; created: boolean; enterprises: OfnEnterprise[] }> {
  const enterprises = await input.ofn.listEnterprises();
  const existing = await findShopByOfnKey(deps, input.instance, input.apiKey);
  const [lookup] = deps.keyring.lookupHashes(ofnKeyLookupInput(input.instance, input.apiKey));
  if (existing) {
    await deps.db
      .update(shops)
      .set({
        ofnKeyLookup: lookup!,
        status: existing.status === "broken" ? "active" : existing.status,
        statusMessage: null,
      })
      .where(eq(shops.id, existing.id));
    return { shopId: existing.id, created: false, enterprises };
  }
  const shopId = crypto.randomUUID();
  await deps.db.insert(shops).values({
    id: shopId,
    ofnInstance: new URL(input.instance).origin,
    ofnKeyLookup: lookup!,
    ofnApiKeySealed: await deps.keyring.seal(input.apiKey, ofnKeyContext(shopId)),
    ofnApiKeyLast4: input.apiKey.slice(-4),
    name: enterprises[0]?.name ?? "",
    locale: input.locale ?? "fr",
  });
  await deps.db.insert(auditLog).values({ shopId, actor: "shop", action: "shop.connected", detail: {} });
  return { shopId, created: true, enterprises };
}

/** Replaces the shop's OFN key (after OFN regenerated it) and clears a "broken" state. */
export async function replaceOfnKey(
  deps: ConnectDeps,
  shopId: string,
  instance: string,
  apiKey: string,
): Promise<void> {
  const [lookup] = deps.keyring.lookupHashes(ofnKeyLookupInput(instance, apiKey));
  await deps.db
    .update(shops)
    .set({
      ofnKeyLookup: lookup!,
      ofnApiKeySealed: await deps.keyring.seal(apiKey, ofnKeyContext(shopId)),
      ofnApiKeyLast4: apiKey.slice(-4),
      status: "active",
      statusMessage: null,
      updatedAt: new Date(),
    })
    .where(eq(shops.id, shopId));
}

/** Stores the enterprises the shop chose, with their public shop info. */
export async function saveEnterprises(
  deps: ConnectDeps,
  shopId: string,
  chosen: Array<{
    enterprise: OfnEnterprise;
    shop?: OfnShopInfo;
    syncCustomers: boolean;
    announceCycles: boolean;
  }>,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.delete(shopEnterprises).where(eq(shopEnterprises.shopId, shopId));
    if (chosen.length === 0) return;
    await tx.insert(shopEnterprises).values(
      chosen.map((c) => ({
        shopId,
        enterpriseId: c.enterprise.id,
        name: c.shop?.name || c.enterprise.name,
        permalink: c.shop?.permalink ?? null,
        shopUrl: c.shop?.url ?? null,
        syncCustomers: c.syncCustomers,
        announceCycles: c.announceCycles,
      })),
    );
  });
}

/** Stores (or replaces) the provider connection with its key sealed. */
export async function saveProviderConnection(
  deps: ConnectDeps,
  shopId: string,
  input: {
    provider: ProviderKind;
    apiKey: string;
    accountLabel: string;
    audienceId?: string;
    audienceName?: string;
  },
): Promise<void> {
  const values = {
    provider: input.provider,
    apiKeySealed: await deps.keyring.seal(input.apiKey, providerKeyContext(shopId)),
    // A Mailchimp key ends with its datacenter ("-us21"): show the end of the secret part instead.
    apiKeyLast4: (input.provider === "mailchimp" ? input.apiKey.split("-")[0]! : input.apiKey).slice(-4),
    accountLabel: input.accountLabel,
    audienceId: input.audienceId ?? null,
    audienceName: input.audienceName ?? null,
    status: "ok",
    statusMessage: null,
    updatedAt: new Date(),
  };
  await deps.db
    .insert(providerConnections)
    .values({ shopId, ...values })
    .onConflictDoUpdate({ target: providerConnections.shopId, set: values });
}
