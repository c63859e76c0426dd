/** API routes about shops themselves: list with health, one shop, pause/resume, sync now, delete. */
import { deleteShop, requestSync, setShopPaused } from "../../admin/actions.js";
import { getShopHealth, listShopHealth } from "../../admin/health.js";
import type { AppDeps } from "../../app.js";
import type { Caller } from "./auth.js";
import { presentRun, presentShop } from "./present.js";
import { actorOf, problemError } from "./problems.js";
import { type ApiRoute, defineRoute } from "./registry.js";
import {
  deletedSchema,
  shopListQuery,
  shopListSchema,
  shopParams,
  shopSchema,
  shopStatusChangeSchema,
  syncRequestedSchema,
} from "./schemas.js";

export function shopRoutes(deps: AppDeps): ApiRoute[] {
  const db = deps.database.db;

  const statusChange = (paused: boolean) =>
    defineRoute({
      method: "post",
      path: `/shops/:shopId/${paused ? "pause" : "resume"}`,
      operationId: paused ? "pauseShop" : "resumeShop",
      summary: paused
        ? "Pause a shop: no syncs until resumed (webhooks are still recorded)"
        : "Resume a paused shop",
      tag: "shops",
      access: "operator",
      params: shopParams,
      response: shopStatusChangeSchema,
      errors: ["CONFLICT"],
      async handle({ c, params, caller }) {
        const result = await setShopPaused(db, params.shopId, paused, actorOf(caller));
        if (!result.ok) throw problemError(c.get("t"), result.problem);
        return { id: params.shopId, status: result.value.status, changed: result.value.changed };
      },
    });

  const ownShop = (caller: Caller) => (caller.kind === "shop" ? caller.shopId : "");

  return [
    defineRoute({
      method: "get",
      path: "/shops",
      operationId: "listShops",
      summary: "List shops with their health, searchable and paginated",
      tag: "shops",
      access: "operator",
      query: shopListQuery,
      response: shopListSchema,
      async handle({ query }) {
        const page = await listShopHealth(db, query);
        return { ...page, items: page.items.map(presentShop) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/shops/:shopId",
      operationId: "getShop",
      summary: "One shop with its health",
      tag: "shops",
      access: "any",
      params: shopParams,
      response: shopSchema,
      async handle({ params }) {
        return presentShop(await getShopHealth(db, params.shopId));
      },
    }),
    defineRoute({
      method: "get",
      path: "/me",
      operationId: "getOwnShop",
      summary: "The shop this OFN key belongs to, with its health (shop key only)",
      tag: "shops",
      access: "shop",
      response: shopSchema,
      async handle({ caller }) {
        return presentShop(await getShopHealth(db, ownShop(caller)));
      },
    }),
    statusChange(true),
    statusChange(false),
    defineRoute({
      method: "post",
      path: "/shops/:shopId/sync",
      operationId: "syncShop",
      summary: "Queue a customer sync now (answers the run already queued or running, if any)",
      tag: "shops",
      access: "any",
      params: shopParams,
      status: 202,
      response: syncRequestedSchema,
      errors: ["CONFLICT"],
      async handle({ c, params, caller }) {
        const result = await requestSync({ db, wake: deps.wake }, params.shopId, actorOf(caller));
        if (!result.ok) throw problemError(c.get("t"), result.problem);
        return { run: presentRun(result.value.run), created: result.value.created };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/shops/:shopId",
      operationId: "deleteShop",
      summary: "Delete a shop and everything stored about it",
      tag: "shops",
      access: "operator",
      params: shopParams,
      response: deletedSchema,
      async handle({ params, caller }) {
        await deleteShop(db, params.shopId, actorOf(caller));
        return { id: params.shopId, deleted: true as const };
      },
    }),
  ];
}
