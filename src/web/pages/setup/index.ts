/** The `/setup` router: instance and key before sign-in, every later step behind it. */
import { Hono, type MiddlewareHandler } from "hono";
import type { AppDeps } from "../../../app.js";
import type { PageEnv } from "../env.js";
import { pageBasics } from "../middleware.js";
import { audienceStep } from "./audience.js";
import { consentStep } from "./consent.js";
import { enterprisesStep } from "./enterprises.js";
import { instanceStep } from "./instance.js";
import { ofnKeyStep } from "./ofn-key.js";
import { providerStep } from "./provider.js";
import { scheduleStep } from "./schedule.js";
import { templateStep } from "./template.js";
import { webhookStep } from "./webhook.js";

export function setupRoutes(deps: AppDeps, keyLimit: MiddlewareHandler<PageEnv>) {
  const app = new Hono<PageEnv>();
  app.use("*", pageBasics(deps));
  app.get("/", (c) => c.redirect("/setup/instance", 303));
  for (const step of [
    instanceStep(deps),
    ofnKeyStep(deps, keyLimit),
    enterprisesStep(deps),
    providerStep(deps, keyLimit),
    audienceStep(deps),
    consentStep(deps),
    scheduleStep(deps),
    templateStep(deps),
    webhookStep(deps),
  ]) {
    app.route("/", step);
  }
  return app;
}
