/**
 * Process entry: config -> database -> migrations -> HTTP + background work -> graceful shutdown.
 * The only place that listens, schedules and handles signals.
 */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { ConfigError } from "./config.js";
import { removeControlFile, writeControlFile } from "./control.js";
import { createSyncDeps, startBackground } from "./jobs/background.js";
import { openRuntime } from "./runtime.js";

async function main(): Promise<void> {
  let runtime: Awaited<ReturnType<typeof openRuntime>>;
  try {
    runtime = await openRuntime();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(1);
    }
    throw error;
  }
  const { config, logger, database } = runtime;
  let shuttingDown = false;
  const dataDir = resolve(config.DATA_DIR);
  // Only the embedded database needs the CLI to go through this process.
  const controlToken = database.kind === "pglite" ? randomBytes(32).toString("hex") : undefined;
  const syncDeps = createSyncDeps(runtime);
  let wake = () => {};
  const app = createApp({ ...runtime, syncDeps, controlToken, wake: () => wake(), isShuttingDown: () => shuttingDown });
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
  server.once("listening", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.PORT;
    if (controlToken) writeControlFile(dataDir, `http://127.0.0.1:${port}`, controlToken);
    logger.info({ port, database: database.kind, publicUrl: config.publicUrl }, "bridge listening");
  });
  const background = startBackground(runtime, syncDeps);
  wake = () => background.wake();

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, "shutting down");
    const deadline = Date.now() + config.SHUTDOWN_TIMEOUT_MS;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    await Promise.race([
      Promise.all([closed, Promise.allSettled([...inFlight]), background.stop(deadline)]),
      new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_TIMEOUT_MS)),
    ]);
    if ("closeAllConnections" in server) server.closeAllConnections();
    if (controlToken) removeControlFile(dataDir);
    await database.close().catch((error: unknown) => logger.warn({ err: error }, "database close failed"));
    logger.info("stopped");
    logger.flush();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

void main().catch((error: unknown) => {
  process.stderr.write(`bridge failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
