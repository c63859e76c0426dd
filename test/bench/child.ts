/**
 * What the benchmarks share about processes: a child that talks JSON lines over stdin/stdout (the
 * simulators, the load generator), and a process's peak resident memory from the kernel.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PROJECT_ROOT } from "../../src/paths.js";

export interface JsonChild {
  send<T>(command: Record<string, unknown>): Promise<T>;
  stop(): void;
}

/** `node <args>`: each command written as one line, each answer read as the next line. */
export function startJsonChild(args: string[], stop?: (child: ReturnType<typeof spawn>) => void): JsonChild {
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const waiting: Array<(value: unknown) => void> = [];
  createInterface({ input: child.stdout! }).on("line", (line) => waiting.shift()?.(JSON.parse(line)));
  return {
    send<T>(command: Record<string, unknown>) {
      return new Promise<T>((done) => {
        waiting.push(done as (value: unknown) => void);
        child.stdin!.write(`${JSON.stringify(command)}\n`);
      });
    },
    stop: () => (stop ? stop(child) : child.kill()),
  };
}

/** test/bench/sims-process.ts: OFN, Mailchimp and Brevo simulators (see its header for commands). */
export function startSimsChild(): JsonChild {
  // From the sources, also when the benchmark itself runs compiled: the simulators are not measured.
  return startJsonChild(["--import", "tsx", join(PROJECT_ROOT, "test/bench/sims-process.ts")], (child) => {
    child.stdin!.write(`${JSON.stringify({ cmd: "exit" })}\n`);
    setTimeout(() => child.kill("SIGKILL"), 2_000).unref();
  });
}

/** Peak resident set (the kernel's VmHWM, Linux) of a live process, in bytes; undefined elsewhere. */
export function peakRssBytes(pid: number | "self" = "self"): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
