/** Starts test/bench/sims-process.ts as a child and talks to it in JSON lines. */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

export interface SimsChild {
  send<T>(command: Record<string, unknown>): Promise<T>;
  stop(): void;
}

export function startSimsChild(): SimsChild {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", resolve(import.meta.dirname, "sims-process.ts")],
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
