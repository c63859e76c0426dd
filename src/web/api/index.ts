/**
 * The JSON API: /api/v1/... for operators who automate and for shops' own tools, and
 * /api/openapi.json, its description generated from the same route registry.
 */
import { Hono } from "hono";
import type { AppDeps } from "../../app.js";
import type { AppEnv } from "../env.js";
import { type ApiLimits, apiAuthenticator, DEFAULT_API_LIMITS } from "./auth.js";
import { shopDataRoutes } from "./data.routes.js";
import { buildOpenApiDocument } from "./openapi.js";
import { type ApiRoute, mountRoutes } from "./registry.js";
import { shopRoutes } from "./shops.routes.js";

export const API_PREFIX = "/api/v1";

export function apiRouteList(deps: AppDeps): ApiRoute[] {
  return [...shopRoutes(deps), ...shopDataRoutes(deps)];
}

export function apiRoutes(deps: AppDeps, limits: ApiLimits = DEFAULT_API_LIMITS): Hono<AppEnv> {
  const routes = apiRouteList(deps);
  const v1 = new Hono<AppEnv>();
  v1.use(async (c, next) => {
    await next();
    // Shop data: never kept by a cache between the bridge and the client.
    c.header("Cache-Control", "no-store");
  });
  mountRoutes(v1, routes, apiAuthenticator(deps, limits));

  const app = new Hono<AppEnv>();
  app.route(API_PREFIX, v1);
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  app.get("/api/openapi.json", (c) => {
    document ??= buildOpenApiDocument(routes, {
      prefix: API_PREFIX,
      serverUrl: deps.config.publicUrl,
      version: "1.0.0",
    });
    return c.json(document);
  });
  return app;
}
