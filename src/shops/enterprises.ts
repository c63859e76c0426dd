/**
 * The enterprises step: what the shop's OFN key can see (names from the DFC endpoint, public shop
 * URLs from the shopfront API), and storing the shop's choice of which to sync and announce.
 */
import type { OfnEnterprise, OfnShopInfo } from "../ofn/types.js";
import { recordAudit } from "./audit.js";
import { saveEnterprises } from "./connect.js";
import { loadShopContext } from "./context.js";
import { interactiveOfnClient, type SignInDeps } from "./sign-in.js";

export interface EnterpriseChoice {
  id: number;
  name: string;
  shopUrl: string | null;
  syncCustomers: boolean;
  announceCycles: boolean;
}

async function discover(deps: SignInDeps, shopId: string) {
  const context = await loadShopContext(deps, shopId);
  const ofn = interactiveOfnClient(deps, context.shop.ofnInstance, context.ofnApiKey);
  const enterprises = await ofn.listEnterprises();
  // Shopfront look-ups are public and optional: a failure leaves the URL unknown, not the step broken.
  const shops = await Promise.all(enterprises.map((e) => ofn.getShop(e.id).catch(() => undefined)));
  return { context, enterprises, shops };
}

/**
 * The key's enterprises as the form shows them, with the shop's earlier choice ticked (everything
 * ticked the first time). Throws UpstreamError when OFN refuses the key or is down.
 */
export async function listEnterpriseChoices(deps: SignInDeps, shopId: string): Promise<EnterpriseChoice[]> {
  const { context, enterprises, shops } = await discover(deps, shopId);
  const stored = new Map(context.enterprises.map((row) => [row.enterpriseId, row]));
  const firstTime = context.enterprises.length === 0;
  return enterprises.map((enterprise, i) => {
    const row = stored.get(enterprise.id);
    return {
      id: enterprise.id,
      name: shops[i]?.name || enterprise.name,
      shopUrl: shops[i]?.url ?? null,
      syncCustomers: firstTime || Boolean(row?.syncCustomers),
      announceCycles: firstTime || Boolean(row?.announceCycles),
    };
  });
}

/**
 * Stores the choice. Only enterprises the key really sees are kept, whatever ids the form sent,
 * so a shop cannot attach another user's enterprise.
 */
export async function chooseEnterprises(
  deps: SignInDeps,
  shopId: string,
  choice: { sync: number[]; announce: number[] },
): Promise<{ saved: number }> {
  const { enterprises, shops } = await discover(deps, shopId);
  const chosen: Array<{
    enterprise: OfnEnterprise;
    shop?: OfnShopInfo;
    syncCustomers: boolean;
    announceCycles: boolean;
  }> = [];
  enterprises.forEach((enterprise, i) => {
    const syncCustomers = choice.sync.includes(enterprise.id);
    const announceCycles = choice.announce.includes(enterprise.id);
    if (syncCustomers || announceCycles)
      chosen.push({ enterprise, shop: shops[i], syncCustomers, announceCycles });
  });
  await saveEnterprises(deps, shopId, chosen);
  await recordAudit(deps.db, shopId, "setup.enterprises", {
    sync: chosen.filter((c) => c.syncCustomers).map((c) => c.enterprise.id),
    announce: chosen.filter((c) => c.announceCycles).map((c) => c.enterprise.id),
  });
  return { saved: chosen.length };
}
