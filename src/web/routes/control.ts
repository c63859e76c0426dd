import { Hono } from "hono";
import type { AppDeps } from "../../app.js";
import { tokensEqual } from "../../control.js";
import { rotateSealingKey } from "../../crypto/rotate.js";
import { AppError } from "../../errors.js";
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
  return app;
}
