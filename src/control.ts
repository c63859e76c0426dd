/**
 * The embedded database can be opened by one process only, so while `npm start` runs on PGlite
 * the CLI asks the running bridge to do the work. The bridge writes its address and a random
 * token to DATA_DIR/control.json (0600): whoever can read the data folder is the operator.
 */
import { timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ControlFile {
  pid: number;
  url: string;
  token: string;
}

const FILE = "control.json";

export function writeControlFile(dataDir: string, url: string, token: string): ControlFile {
  const control = { pid: process.pid, url, token };
  writeFileSync(join(dataDir, FILE), JSON.stringify(control), { mode: 0o600 });
  return control;
}

export function removeControlFile(dataDir: string): void {
  rmSync(join(dataDir, FILE), { force: true });
}

/** The running bridge on this data folder, if any (a stale file from a killed process is ignored). */
export function readControlFile(dataDir: string): ControlFile | undefined {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) return undefined;
  try {
    const control = JSON.parse(readFileSync(path, "utf8")) as ControlFile;
    process.kill(control.pid, 0);
    return control;
  } catch {
    return undefined;
  }
}

export function tokensEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
