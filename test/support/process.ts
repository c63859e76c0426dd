/**
 * Starts the real bridge as a child process (`tsx src/main.ts`, or the compiled `dist/src/main.js`
 * when asked) and finds its port from the log.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { PROJECT_ROOT } from "../../src/paths.js";

export const REPO_ROOT = PROJECT_ROOT;
/** The compiled server, as `npm start` runs it after `npm run build`. */
export const COMPILED_ENTRY = ["--expose-gc", "dist/src/main.js"];
const SOURCE_ENTRY = ["--import", "tsx", "src/main.ts"];

export interface BridgeProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Sends a signal and resolves with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

export function startBridgeProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
  entry: string[] = SOURCE_ENTRY,
): Promise<BridgeProcess> {
  // Only PATH and HOME from the parent: the bridge must start with no configuration of its own.
  const child = spawn(process.execPath, entry, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      // Never leave a half-started bridge behind the test run.
      child.kill("SIGKILL");
      reject(new Error(`bridge did not start in time:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /"port":(\d+).*"msg":"bridge listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveStart({
          child,
          url: `http://127.0.0.1:${match[1]}`,
          output: () => output,
          async stop(signal = "SIGTERM") {
            const started = Date.now();
            child.kill(signal);
            const code = await exited;
            return { code, ms: Date.now() - started };
          },
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited with ${code}:\n${output}`));
    });
  });
}
