import { Hono } from "hono";
import type { AppDeps } from "../../app.js";
import { findShopId } from "../../cli/sync-command.js";
import { tokensEqual } from "../../control.js";
import { rotateSealingKey } from "../../crypto/rotate.js";
import { AppError } from "../../errors.js";
import { enqueueSync, getSyncRun } from "../../jobs/sync-queue.js";
import type { AppEnv } from "../env.js";

/** Operator commands forwarded by the CLI to the running bridge (see src/control.ts). */
export function controlRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    const token = deps.controlToken;
    const given = c.req.header("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
    if (!token || !tokensEqual(given, token)) throw new AppError("UNAUTHORIZED", "control token required");
    await next();
  });
  app.post("/rotate-key", async (c) => c.json(await rotateSealingKey(deps.database.db, deps.keyring)));
  app.post("/sync", async (c) => {
    const { shop } = (await c.req.json()) as { shop?: string };
    const shopId = shop ? await findShopId(deps.database.db, shop) : undefined;
    if (!shopId) throw new AppError("NOT_FOUND", "no such shop");
    const { run } = await enqueueSync(deps.database.db, shopId, "cli");
    deps.wake?.("sync");
    return c.json({ runId: run.id });
  });
  app.post("/sync-run", async (c) => {
    const { runId } = (await c.req.json()) as { runId?: string };
    const run = runId ? await getSyncRun(deps.database.db, runId) : undefined;
    if (!run) throw new AppError("NOT_FOUND", "no such run");
    return c.json(run);
  });
  return app;
}
