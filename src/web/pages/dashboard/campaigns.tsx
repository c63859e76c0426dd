/** The campaign buttons: send me a test, simulate an order cycle opening, retry a failed campaign. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../../../app.js";
import type { CampaignDeps } from "../../../campaigns/executor-types.js";
import {
  retryCampaign,
  sendTestCampaign,
  simulateOrderCycleOpened,
} from "../../../campaigns/shop-actions.js";
import { AppError } from "../../../errors.js";
import { saveCampaignOptions } from "../../../shops/preferences.js";
import type { PageEnv } from "../env.js";
import { shopIdOf, validForm } from "../middleware.js";
import { renderDashboard } from "./overview.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const testForm = z.object({ test_email: z.string().max(300).default("") });

export function campaignRoutes(deps: AppDeps) {
  const app = new Hono<PageEnv>();
  const db = deps.database.db;
  const campaignDeps = (c: Parameters<typeof shopIdOf>[0]): CampaignDeps => ({
    db,
    keyring: deps.keyring,
    logger: c.get("logger"),
    providers: deps.syncDeps.providers,
  });

  app.post("/test", validForm(testForm), async (c) => {
    const shopId = shopIdOf(c);
    const email = c.req.valid("form").test_email.trim();
    if (!z.email().safeParse(email).success) {
      const message = c.get("t")("campaigns.test.invalid");
      return renderDashboard(deps, c, { errors: [{ field: "test_email", message }], testEmail: email });
    }
    await saveCampaignOptions(db, shopId, { testEmails: [email] });
    const row = await sendTestCampaign({ ...campaignDeps(c), owner: `web-${crypto.randomUUID()}` }, shopId, [
      email,
    ]);
    return c.redirect(
      `/dashboard?notice=${row.status === "failed" ? "testFailed" : "testSent"}#campaigns-title`,
      303,
    );
  });

  app.post("/simulate", async (c) => {
    const recorded = await simulateOrderCycleOpened(campaignDeps(c), shopIdOf(c));
    if (recorded.dueNow) deps.wake?.("campaign");
    return c.redirect("/dashboard?notice=simulated#campaigns-title", 303);
  });

  app.post("/campaigns/:id/retry", async (c) => {
    const id = c.req.param("id");
    // Another shop's campaign, or no campaign at all: the same 404.
    if (!UUID.test(id)) throw new AppError("NOT_FOUND", c.get("t")("error.api.notFound"));
    try {
      await retryCampaign({ db }, shopIdOf(c), id);
    } catch (error) {
      if (error instanceof AppError && error.code === "NOT_FOUND") {
        throw new AppError("NOT_FOUND", c.get("t")("error.api.notFound"));
      }
      if (error instanceof AppError && error.code === "CONFLICT") {
        throw new AppError("CONFLICT", c.get("t")("campaign.retry.onlyFailed"));
      }
      throw error;
    }
    deps.wake?.("campaign");
    return c.redirect("/dashboard?notice=retried#campaigns-title", 303);
  });
  return app;
}
