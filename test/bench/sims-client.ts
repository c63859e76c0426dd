/** Starts test/bench/sims-process.ts as a child and talks to it in JSON lines. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PROJECT_ROOT } from "../../src/paths.js";

export interface SimsChild {
  send<T>(command: Record<string, unknown>): Promise<T>;
  stop(): void;
}

export function startSimsChild(): SimsChild {
  const child = spawn(
    process.execPath,
    // From the sources, also when the benchmark itself runs compiled: the simulators are not measured.
    ["--import", "tsx", join(PROJECT_ROOT, "test/bench/sims-process.ts")],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const waiting: Array<(value: unknown) => void> = [];
  createInterface({ input: child.stdout! }).on("line", (line) => waiting.shift()?.(JSON.parse(line)));
  return {
    send<T>(command: Record<string, unknown>) {
      return new Promise<T>((done) => {
        waiting.push(done as (value: unknown) => void);
        child.stdin!.write(`${JSON.stringify(command)}\n`);
      });
    },
    stop() {
      child.stdin!.write(`${JSON.stringify({ cmd: "exit" })}\n`);
      setTimeout(() => child.kill("SIGKILL"), 2_000).unref();
    },
  };
}
