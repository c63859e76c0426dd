import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { toRailsJson } from "./time-format.js";

/**
 * Labels the request in the shared request log (controls.ts reads "sandboxAccount"). The app stays
 * an untyped `Hono` so every simulator plugs into the same `listen`/`mountRoutes`.
 */
export function tagAccount(c: Context, label: string): void {
  c.set("sandboxAccount" as never, label as never);
}

/** `render json:` in OFN's Rails app: & < > arrive as \u0026 \u003c \u003e (escape_html_entities_in_json). */
export function renderJson(c: Context, body: unknown, status: ContentfulStatusCode = 200): Response {
  return c.body(toRailsJson(body), status, { "Content-Type": "application/json; charset=utf-8" });
}
