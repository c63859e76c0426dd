/**
 * Helpers of the replica tests. They need a PostgreSQL server (several processes share one
 * database, which PGlite cannot do), so they refuse to run without TEST_DATABASE_URL rather
 * than skip: a green run must mean they ran.
 */
import { type Database, openDatabase } from "../../src/db/client.js";
import { createTestDatabase, type TestDatabase, usingPostgres } from "../support/db.js";

export const NEEDS_POSTGRES =
  "test/replicas needs a PostgreSQL server: run it as " +
  "TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run --config vitest.replicas.config.ts " +
  "(each test creates and drops a database of its own on that server).";

/** A fresh migrated database on the server, with its URL (dropped again by `close`). */
export async function createServerDatabase(): Promise<TestDatabase & { url: string }> {
  if (!usingPostgres()) throw new Error(NEEDS_POSTGRES);
  const database = await createTestDatabase();
  if (!database.url) throw new Error(NEEDS_POSTGRES);
  return database as TestDatabase & { url: string };
}

/** A second, independent connection pool to the same database: what another replica would hold. */
export function openReplicaPool(url: string, poolSize = 5): Promise<Database> {
  return openDatabase({ url, poolSize });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns a value other than undefined, or fails after `timeoutMs` naming
 * `what` and, when given, what `lastSeen` says about the state at that moment.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; everyMs?: number; lastSeen?: () => Promise<unknown> },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const seen = options.lastSeen ? `; last seen: ${JSON.stringify(await options.lastSeen())}` : "";
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${seen}`);
    }
    await sleep(options.everyMs ?? 100);
  }
}
