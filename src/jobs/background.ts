/** The background side of a process: workers and cron ticks. Stopped within a deadline on shutdown. */
import type { Runtime } from "../runtime.js";

export interface Background {
  /** Stops taking new work and waits for running work until `deadline` (epoch ms). */
  stop(deadline: number): Promise<void>;
}

export function startBackground(_runtime: Runtime): Background {
  return { stop: async () => {} };
}
