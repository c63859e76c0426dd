/** The `/dashboard` router: every route behind sign-in, every POST behind the CSRF check. */
import { Hono, type MiddlewareHandler } from "hono";
import type { AppDeps } from "../../../app.js";
import type { PageEnv } from "../env.js";
import { pageBasics, requireShop } from "../middleware.js";
import { campaignRoutes } from "./campaigns.js";
import { dangerRoutes } from "./danger.js";
import { ofnKeyRoutes } from "./ofn-key.js";
import { renderDashboard } from "./overview.js";
import { syncRoutes } from "./sync.js";

export function dashboardRoutes(deps: AppDeps, keyLimit: MiddlewareHandler<PageEnv>) {
  const app = new Hono<PageEnv>();
  app.use("*", pageBasics(deps), requireShop);
  app.get("/", (c) => renderDashboard(deps, c));
  app.route("/", syncRoutes(deps));
  app.route("/", campaignRoutes(deps));
  app.route("/", ofnKeyRoutes(deps, keyLimit));
  app.route("/", dangerRoutes(deps));
  return app;
}
