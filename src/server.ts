/**
 * Serves a runtime: HTTP + background work, with a bounded graceful stop. Used by main.ts (with
 * signals) and by the demo and benchmarks (in-process).
 */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { removeControlFile, writeControlFile } from "./control.js";
import { createSyncDeps, startBackground, type WorkKind } from "./jobs/background.js";
import type { Runtime } from "./runtime.js";

export interface RunningBridge {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests and jobs finish until the deadline, closes the database. */
  stop(): Promise<void>;
}

export function startBridge(runtime: Runtime): Promise<RunningBridge> {
  const { config, logger, database } = runtime;
  let shuttingDown = false;
  const dataDir = resolve(config.DATA_DIR);
  // Only the embedded database needs the CLI to go through this process.
  const controlToken = database.kind === "pglite" ? randomBytes(32).toString("hex") : undefined;
  const syncDeps = createSyncDeps(runtime);
  let wake: (work?: WorkKind) => void = () => {};
  const app = createApp({
    ...runtime,
    syncDeps,
    controlToken,
    wake: (work) => wake(work),
    isShuttingDown: () => shuttingDown,
  });
  const inFlight = new Set<Promise<unknown>>();
  const server = serve({
    fetch: (request, env) => {
      const handled = Promise.resolve(app.fetch(request, env));
      inFlight.add(handled);
      void handled.finally(() => inFlight.delete(handled)).catch(() => {});
      return handled;
    },
    port: config.PORT,
    hostname: config.HOST,
  });
  const background = startBackground(runtime, syncDeps);
  wake = (work) => background.wake(work);

  const stop = async () => {
    if (shuttingDown) return;
    shuttingDown = true;
    const deadline = Date.now() + config.SHUTDOWN_TIMEOUT_MS;
    const closed = new Promise<void>((done) => server.close(() => done()));
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    await Promise.race([
      Promise.all([closed, Promise.allSettled([...inFlight]), background.stop(deadline)]),
      new Promise((done) => setTimeout(done, config.SHUTDOWN_TIMEOUT_MS)),
    ]);
    if ("closeAllConnections" in server) server.closeAllConnections();
    if (controlToken) removeControlFile(dataDir);
    await database.close().catch((error: unknown) => logger.warn({ err: error }, "database close failed"));
  };

  return new Promise((ready, fail) => {
    server.once("error", fail);
    server.once("listening", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : config.PORT;
      if (controlToken) writeControlFile(dataDir, `http://127.0.0.1:${port}`, controlToken);
      logger.info({ port, database: database.kind, publicUrl: config.publicUrl }, "bridge listening");
      ready({ url: `http://127.0.0.1:${port}`, port, stop });
    });
  });
}
