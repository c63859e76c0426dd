/** API routes about one shop's work and configuration: sync runs, campaigns, deliveries, settings. */
import { retryFailedCampaign, shopStatus } from "../../admin/actions.js";
import { getShopSettings, updateShopSettings } from "../../api/settings.js";
import type { AppDeps } from "../../app.js";
import { listCampaigns, listDeliveries } from "../../campaigns/dashboard.js";
import { AppError } from "../../errors.js";
import { findShopSyncRun, listSyncRuns } from "../../shops/dashboard.js";
import { presentCampaign, presentDelivery, presentRun } from "./present.js";
import { actorOf } from "./problems.js";
import { type ApiRoute, defineRoute } from "./registry.js";
import {
  campaignListSchema,
  campaignParams,
  campaignRetriedSchema,
  deliveryListSchema,
  limitQuery,
  runParams,
  settingsPatchSchema,
  settingsSchema,
  shopParams,
  syncRunListSchema,
  syncRunSchema,
} from "./schemas.js";

export function shopDataRoutes(deps: AppDeps): ApiRoute[] {
  const db = deps.database.db;
  /** Lists of a shop that does not exist answer 404, not an empty list. */
  const existing = async (shopId: string) => {
    await shopStatus(db, shopId);
    return shopId;
  };

  return [
    defineRoute({
      method: "get",
      path: "/shops/:shopId/runs",
      operationId: "listSyncRuns",
      summary: "The shop's sync runs, newest first, with counts and progress",
      tag: "sync",
      access: "any",
      params: shopParams,
      query: limitQuery(100, 20),
      response: syncRunListSchema,
      async handle({ params, query }) {
        const runs = await listSyncRuns(db, await existing(params.shopId), query.limit);
        return { items: runs.map(presentRun) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/shops/:shopId/runs/:runId",
      operationId: "getSyncRun",
      summary: "One sync run with its counts and progress",
      tag: "sync",
      access: "any",
      params: runParams,
      response: syncRunSchema,
      async handle({ c, params }) {
        const run = await findShopSyncRun(db, params.shopId, params.runId);
        if (!run) throw new AppError("NOT_FOUND", c.get("t")("error.api.notFound"));
        return presentRun(run);
      },
    }),
    defineRoute({
      method: "get",
      path: "/shops/:shopId/campaigns",
      operationId: "listCampaigns",
      summary: "The shop's campaigns, newest first",
      tag: "campaigns",
      access: "any",
      params: shopParams,
      query: limitQuery(500, 50),
      response: campaignListSchema,
      async handle({ c, params, query }) {
        const shopId = await existing(params.shopId);
        const items = await listCampaigns({ db }, shopId, { locale: c.get("locale"), limit: query.limit });
        return { items: items.map(presentCampaign) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/shops/:shopId/campaigns/:campaignId/retry",
      operationId: "retryCampaign",
      summary: "Retry a failed campaign from the step it failed at",
      tag: "campaigns",
      access: "any",
      params: campaignParams,
      response: campaignRetriedSchema,
      errors: ["CONFLICT"],
      async handle({ params, caller }) {
        return retryFailedCampaign(
          { db, wake: deps.wake },
          params.shopId,
          params.campaignId,
          actorOf(caller),
        );
      },
    }),
    defineRoute({
      method: "get",
      path: "/shops/:shopId/deliveries",
      operationId: "listWebhookDeliveries",
      summary: "Webhook deliveries OFN made to the shop's URL, newest first (payloads not included)",
      tag: "campaigns",
      access: "any",
      params: shopParams,
      query: limitQuery(500, 50),
      response: deliveryListSchema,
      async handle({ c, params, query }) {
        const shopId = await existing(params.shopId);
        const items = await listDeliveries({ db }, shopId, { locale: c.get("locale"), limit: query.limit });
        return { items: items.map(presentDelivery) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/shops/:shopId/settings",
      operationId: "getSettings",
      summary: "The shop's settings (sync, consent, mapping, schedule, campaigns)",
      tag: "settings",
      access: "any",
      params: shopParams,
      response: settingsSchema,
      async handle({ params }) {
        return getShopSettings(db, params.shopId);
      },
    }),
    defineRoute({
      method: "patch",
      path: "/shops/:shopId/settings",
      operationId: "updateSettings",
      summary: "Change some settings; the answer is the whole new settings",
      description:
        "Send only the fields to change. The body is checked against the same rules as the setup pages; a 400 lists each refused field in `error.details.fields`.",
      tag: "settings",
      access: "any",
      params: shopParams,
      body: settingsPatchSchema,
      response: settingsSchema,
      async handle({ params, body, caller }) {
        return updateShopSettings(db, params.shopId, body, actorOf(caller));
      },
    }),
  ];
}
