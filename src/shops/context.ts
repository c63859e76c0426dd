/** Loads what work on one shop needs: its rows, settings and unsealed keys (kept in memory only). */
import { eq } from "drizzle-orm";
import { ofnKeyContext, providerKeyContext } from "../crypto/contexts.js";
import type { Keyring } from "../crypto/keyring.js";
import type { Db } from "../db/client.js";
import { providerConnections, shopEnterprises, shops } from "../db/schema/index.js";
import { AppError } from "../errors.js";
import { registerSecret } from "../logger.js";
import type { ProviderKind } from "../providers/types.js";
import { readShopSettings, type ShopSettings } from "./settings.js";

export type ShopRow = typeof shops.$inferSelect;
export type EnterpriseRow = typeof shopEnterprises.$inferSelect;
export type ConnectionRow = typeof providerConnections.$inferSelect;

export interface ShopContext {
  shop: ShopRow;
  settings: ShopSettings;
  enterprises: EnterpriseRow[];
  ofnApiKey: string;
  connection?: ConnectionRow & { provider: ProviderKind };
  providerApiKey?: string;
}

export async function loadShopContext(
  deps: { db: Db; keyring: Keyring },
  shopId: string,
): Promise<ShopContext> {
  const [shop] = await deps.db.select().from(shops).where(eq(shops.id, shopId)).limit(1);
  if (!shop) throw new AppError("NOT_FOUND", "shop not found");
  const enterprises = await deps.db.select().from(shopEnterprises).where(eq(shopEnterprises.shopId, shopId));
  const [connection] = await deps.db
    .select()
    .from(providerConnections)
    .where(eq(providerConnections.shopId, shopId))
    .limit(1);
  const ofnApiKey = await deps.keyring.unseal(shop.ofnApiKeySealed, ofnKeyContext(shop.id));
  registerSecret(ofnApiKey);
  let providerApiKey: string | undefined;
  if (connection) {
    providerApiKey = await deps.keyring.unseal(connection.apiKeySealed, providerKeyContext(shop.id));
    registerSecret(providerApiKey);
  }
  return {
    shop,
    settings: readShopSettings(shop.settings),
    enterprises,
    ofnApiKey,
    connection: connection as ShopContext["connection"],
    providerApiKey,
  };
}
