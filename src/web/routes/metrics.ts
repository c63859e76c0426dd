import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppDeps } from "../../app.js";
import { tokensEqual } from "../../control.js";
import { queryRows } from "../../db/client.js";
import { AppError } from "../../errors.js";
import { metrics, registry } from "../../metrics.js";
import type { AppEnv } from "../env.js";

/** GET /metrics, for Prometheus: disabled unless METRICS_TOKEN is set; bearer token required. */
export function metricsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get("/metrics", async (c) => {
    const token = deps.config.METRICS_TOKEN;
    const given = c.req.header("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
    if (!token) throw new AppError("NOT_FOUND", "metrics are disabled (set METRICS_TOKEN)");
    if (!tokensEqual(given, token)) throw new AppError("UNAUTHORIZED", "bearer token required");
    await refreshQueueGauges(deps);
    return c.body(await registry.metrics(), 200, { "Content-Type": registry.contentType });
  });
  return app;
}

async function refreshQueueGauges(deps: AppDeps): Promise<void> {
  const rows = await queryRows<{ queue: string; depth: number; oldest: number | null }>(
    deps.database.db,
    sql`select 'sync' as queue, count(*)::int as depth,
               extract(epoch from now() - min(queued_at) filter (where status = 'queued'))::float8 as oldest
          from sync_runs where status in ('queued', 'running')
        union all
        select 'campaign', count(*)::int,
               extract(epoch from now() - min(run_at) filter (where run_at <= now()))::float8
          from campaigns where status in ('pending', 'created', 'content_set')`,
  );
  for (const row of rows) {
    metrics.queueDepth.set({ queue: row.queue }, Number(row.depth));
    metrics.queueOldestAge.set({ queue: row.queue }, Math.max(0, Number(row.oldest ?? 0)));
  }
}
