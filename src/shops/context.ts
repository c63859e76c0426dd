/** Loads what work on one shop needs: its rows, settings and unsealed keys (kept in memory only). */
import { eq, sql } from "drizzle-orm";
import { ofnKeyContext, providerKeyContext } from "../crypto/contexts.js";
import type { Keyring } from "../crypto/keyring.js";
import type { Db } from "../db/client.js";
import { preparedOnce } from "../db/prepared.js";
import { campaignTemplates, providerConnections, shopEnterprises, shops } from "../db/schema/index.js";
import { AppError } from "../errors.js";
import { registerSecret } from "../logger.js";
import type { ProviderKind } from "../providers/types.js";
import { readShopSettings, type ShopSettings } from "./settings.js";

export type ShopRow = typeof shops.$inferSelect;
export type EnterpriseRow = typeof shopEnterprises.$inferSelect;
export type ConnectionRow = typeof providerConnections.$inferSelect;
export type TemplateRow = typeof campaignTemplates.$inferSelect;

export interface ShopContext {
  shop: ShopRow;
  settings: ShopSettings;
  enterprises: EnterpriseRow[];
  ofnApiKey: string;
  connection?: ConnectionRow & { provider: ProviderKind };
  providerApiKey?: string;
  /** The shop's own campaign template, when it wrote one. */
  template?: TemplateRow;
}

/** shop_enterprises as json_agg gives it: column names, timestamps as text. */
interface EnterpriseJson {
  id: number;
  shop_id: string;
  enterprise_id: number;
  name: string;
  permalink: string | null;
  shop_url: string | null;
  sync_customers: boolean;
  announce_cycles: boolean;
  created_at: string;
}

const enterpriseRow = (e: EnterpriseJson): EnterpriseRow => ({
  id: e.id,
  shopId: e.shop_id,
  enterpriseId: e.enterprise_id,
  name: e.name,
  permalink: e.permalink,
  shopUrl: e.shop_url,
  syncCustomers: e.sync_customers,
  announceCycles: e.announce_cycles,
  createdAt: new Date(e.created_at),
});

// One statement (a campaign runs this once per row; four round trips were a third of its database
// time), built once and prepared once per connection: every campaign and sync run starts here.
const shopContextStatement = (db: Db) =>
  preparedOnce(db, "shop-context", () =>
    db
      .select({
        shop: shops,
        connection: providerConnections,
        template: campaignTemplates,
        enterprises: sql<EnterpriseJson[] | string>`coalesce((select json_agg(e order by e.id)
          from ${shopEnterprises} e where e.shop_id = ${shops.id}), '[]'::json)`,
      })
      .from(shops)
      .leftJoin(providerConnections, eq(providerConnections.shopId, shops.id))
      .leftJoin(campaignTemplates, eq(campaignTemplates.shopId, shops.id))
      .where(eq(shops.id, sql.placeholder("shopId")))
      .limit(1)
      .prepare("shop-context"),
  );

export async function loadShopContext(
  deps: { db: Db; keyring: Keyring },
  shopId: string,
): Promise<ShopContext> {
  const [row] = await shopContextStatement(deps.db).execute({ shopId });
  if (!row) throw new AppError("NOT_FOUND", "shop not found");
  const { shop, connection } = row;
  const enterprises = (
    typeof row.enterprises === "string" ? (JSON.parse(row.enterprises) as EnterpriseJson[]) : row.enterprises
  ).map(enterpriseRow);
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
    connection: (connection ?? undefined) as ShopContext["connection"],
    providerApiKey,
    template: row.template ?? undefined,
  };
}
