import { Hono } from "hono";
import type { AppDeps } from "../../app.js";
import { ping } from "../../db/client.js";
import { isMigrated } from "../../db/migrate.js";
import type { AppEnv } from "../env.js";

export function healthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  // Process up: no dependency checked, so an orchestrator does not restart us for a database blip.
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      await ping(deps.database.db);
      if (!(await isMigrated(deps.database.db))) return c.json({ status: "migrating" }, 503);
      if (deps.isShuttingDown?.()) return c.json({ status: "shutting-down" }, 503);
      return c.json({ status: "ready" });
    } catch {
      return c.json({ status: "database-unreachable" }, 503);
    }
  });
  return app;
}
