/**
 * Operator commands: `npm run cli -- <command>`.
 *   migrate            apply the committed migrations
 *   sync <shop>        run a customer sync now (progress bar, summary table)
 *   rotate-key         re-seal every stored API key under a new data key (safe while the bridge runs)
 */
import { resolve } from "node:path";
import { progressBar } from "./cli/progress.js";
import { followRun, summarise, syncCommand } from "./cli/sync-command.js";
import { ConfigError, loadConfig } from "./config.js";
import { type ControlFile, readControlFile } from "./control.js";
import { type RotationResult, rotateSealingKey } from "./crypto/rotate.js";
import type { SyncRunRow } from "./jobs/sync-queue.js";
import { openRuntime, type Runtime } from "./runtime.js";

type Command = (runtime: Runtime, args: string[]) => Promise<number>;
/** How a command runs when a bridge on the embedded database holds the data folder. */
type RemoteCommand = (control: ControlFile, args: string[]) => Promise<number>;

async function postControl<T>(control: ControlFile, path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${control.url}/internal/control${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${control.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`the running bridge answered ${response.status}`);
  return (await response.json()) as T;
}

const commands: Record<string, { help: string; run: Command; remote?: RemoteCommand }> = {
  sync: {
    help: "sync <shop id or name>: run a customer sync now, with a progress bar and a summary",
    run: syncCommand,
    remote: async (control, args) => {
      const { runId } = await postControl<{ runId: string }>(control, "/sync", { shop: args[0] });
      const final = await followRun(
        () => postControl<SyncRunRow>(control, "/sync-run", { runId }),
        () => false,
      );
      process.stdout.write(`${summarise(final)}\n`);
      return final.status === "succeeded" ? 0 : 1;
    },
  },
  migrate: {
    help: "apply the committed database migrations",
    // openRuntime has already migrated under the advisory lock.
    run: async () => {
      process.stdout.write("migrations applied\n");
      return 0;
    },
  },
  "rotate-key": {
    help: "re-seal every stored API key under a new data key (the bridge may keep running)",
    run: async ({ database, keyring }) => {
      const bar = progressBar("re-sealing");
      const result = await rotateSealingKey(database.db, keyring, (done, total) => bar.update(done, total));
      bar.finish();
      process.stdout.write(`new sealing key ${result.newKeyId}; ${result.resealed} secret(s) re-sealed\n`);
      return 0;
    },
    remote: async (control) => {
      const result = await postControl<RotationResult>(control, "/rotate-key");
      process.stdout.write(
        `new sealing key ${result.newKeyId}; ${result.resealed} secret(s) re-sealed by the running bridge\n`,
      );
      return 0;
    },
  },
};

function usage(): string {
  return [
    "usage: npm run cli -- <command> [args]",
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(18)} ${c.help}`),
  ].join("\n");
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`${usage()}\n`);
    return name ? 2 : 0;
  }
  let runtime: Runtime;
  try {
    const config = loadConfig();
    const control = config.DATABASE_URL ? undefined : readControlFile(resolve(config.DATA_DIR));
    if (control) {
      if (!command.remote) {
        process.stderr.write(
          `stop the running bridge (pid ${control.pid}) before '${name}' on the embedded database\n`,
        );
        return 1;
      }
      return await command.remote(control, args);
    }
    runtime = await openRuntime({ config });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  try {
    return await command.run(runtime, args);
  } finally {
    await runtime.database.close();
  }
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
