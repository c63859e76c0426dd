/**
 * The shop-facing pages: landing, setup steps, dashboard, and the small scripts that enhance them.
 * One key-paste limiter is shared by every form that takes a key, so switching forms does not reset it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import type { AppDeps } from "../../app.js";
import { PROJECT_ROOT } from "../../paths.js";
import { dashboardRoutes } from "./dashboard/index.js";
import { landingRoutes } from "./landing.js";
import { type KeyPasteLimit, keyPasteLimiter } from "./middleware.js";
import { setupRoutes } from "./setup/index.js";

const SCRIPTS = ["copy.js", "preview.js", "progress.js"] as const;

/** Serves src/web/static/*.js from memory; only the listed names exist. */
export function staticRoutes() {
  const app = new Hono();
  const files = new Map(
    SCRIPTS.map((name) => [name, readFileSync(join(PROJECT_ROOT, "src/web/static", name), "utf8")] as const),
  );
  app.get("/:name", (c) => {
    const body = files.get(c.req.param("name") as (typeof SCRIPTS)[number]);
    if (body === undefined) return c.notFound();
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(body, 200, { "Content-Type": "text/javascript; charset=utf-8" });
  });
  return app;
}

export function createPages(deps: AppDeps, limits?: KeyPasteLimit) {
  const keyLimit = keyPasteLimiter(deps, limits);
  return {
    landing: landingRoutes(deps),
    setup: setupRoutes(deps, keyLimit),
    dashboard: dashboardRoutes(deps, keyLimit),
    scripts: staticRoutes(),
  };
}
