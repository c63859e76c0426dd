/**
 * What the benchmarks share about processes: a child that talks JSON lines over stdin/stdout (the
 * simulators, the load generator), and a process's peak resident memory from the kernel.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PROJECT_ROOT } from "../../src/paths.js";

export interface JsonChild {
  readonly pid: number | undefined;
  send<T>(command: Record<string, unknown>): Promise<T>;
  stop(): void;
}

/** `node <args>`: each command written as one line, each answer read as the next line. */
export function startJsonChild(args: string[], stop?: (child: ReturnType<typeof spawn>) => void): JsonChild {
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const waiting: Array<(value: unknown) => void> = [];
  createInterface({ input: child.stdout! }).on("line", (line) => waiting.shift()?.(JSON.parse(line)));
  return {
    pid: child.pid,
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

/** CPU seconds (user + system, all threads) a live process has used so far; 0 when unreadable (not Linux). */
export function cpuSeconds(pid: number | "self" = "self"): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of every process on this machine whose command line starts with `prefix` (PostgreSQL's). */
export function cpuSecondsOfCommand(prefix: string): Map<number, number> {
  const found = new Map<number, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return found;
  }
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith(prefix))
        found.set(Number(pid), cpuSeconds(Number(pid)));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}
