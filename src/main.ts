/**
 * Process entry: config -> database -> migrations -> HTTP + background work -> graceful shutdown
 * on SIGTERM/SIGINT. The only place that handles signals.
 */
import { ConfigError } from "./config.js";
import { openRuntime } from "./runtime.js";
import { startBridge } from "./server.js";

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
  const bridge = await startBridge(runtime);
  const shutdown = async (signal: string) => {
    runtime.logger.info({ signal }, "shutting down");
    await bridge.stop();
    runtime.logger.info("stopped");
    runtime.logger.flush();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

void main().catch((error: unknown) => {
  process.stderr.write(`bridge failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
