/**
 * The two calls the bridge uses to learn about a user's enterprises: the DFC organizations list
 * (the only "my enterprises" endpoint, ofn.md §2.11) and the public v0 shopfront.
 */
import type { Hono } from "hono";
import { type ApiContext, authenticate } from "./customers-api.js";
import { renderJson } from "./http.js";
import type { OfnEnterprise, OfnOrderCycle } from "./types.js";

export interface PublicApiContext extends ApiContext {
  /** Open order cycles where the enterprise coordinates or distributes. */
  openOrderCyclesOf(enterpriseId: number): OfnOrderCycle[];
  formatTime(instant: Date): string;
}

export function mountPublicRoutes(app: Hono, ctx: PublicApiContext): void {
  app.get("/api/dfc/organizations", (c) => {
    const auth = authenticate(c, ctx.store);
    // Unverified detail: OFN's DFC engine answers 401 here; the exact body text is a guess.
    if (auth.kind !== "user") return c.json({ error: "unauthorized" }, 401);
    const base = ctx.baseUrl(c);
    const ids = auth.user.enterpriseIds.map((id) => `${base}/api/dfc/organizations/${id}`);
    const organizations = auth.user.enterpriseIds.flatMap((id) => {
      const enterprise = ctx.store.enterprises.get(id);
      if (!enterprise) return [];
      return [
        {
          "@id": `${base}/api/dfc/organizations/${id}`,
          "@type": "dfc-b:Organization",
          "dfc-b:name": enterprise.name,
          "dfc-b:email": enterprise.email,
        },
      ];
    });
    return c.json({
      "@context": "https://www.datafoodconsortium.org",
      // The DFC connector compacts a one-element list to a plain string.
      "@graph": [
        { "@type": "ldp:Container", "ldp:contains": ids.length === 1 ? ids[0] : ids },
        ...organizations,
      ],
    });
  });

  app.get("/api/v0/shops/:id", (c) => {
    const id = c.req.param("id");
    // `Enterprise.find(params[:id])` by numeric id only; a permalink is not found.
    const enterprise = /^\d+$/.test(id) ? ctx.store.enterprises.get(Number(id)) : undefined;
    if (!enterprise)
      return renderJson(c, { error: "The resource you were looking for could not be found." }, 404);
    return renderJson(c, shopfront(enterprise, ctx));
  });
}

function shopfront(enterprise: OfnEnterprise, ctx: PublicApiContext) {
  const open = ctx.openOrderCyclesOf(enterprise.id);
  const closing = open
    .map((oc) => oc.ordersCloseAt)
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    name: enterprise.name,
    id: enterprise.id,
    description: null,
    latitude: null,
    longitude: null,
    long_description: null,
    website: null,
    instagram: null,
    linkedin: null,
    twitter: null,
    facebook: null,
    is_primary_producer: false,
    is_distributor: true,
    phone: null,
    whatsapp_phone: null,
    whatsapp_url: null,
    visible: "public",
    // Reversed so scrapers miss it; the shopfront JS turns it back.
    email_address: [...enterprise.email].reverse().join(""),
    hash: enterprise.permalink,
    logo: null,
    promo_image: null,
    path: `/${enterprise.permalink}/shop`,
    category: "hub",
    active: open.length > 0,
    producers: [],
    orders_close_at: closing ? ctx.formatTime(closing) : null,
    hubs: [],
    taxons: [],
    supplied_taxons: [],
    pickup: true,
    delivery: false,
    preferred_product_low_stock_display: false,
    hide_ofn_navigation: false,
    white_label_logo: null,
    white_label_logo_link: null,
    supplied_properties: [],
    distributed_properties: [],
  };
}
