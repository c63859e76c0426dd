/**
 * One Db type for both drivers: PGlite (embedded, the zero-configuration default) and
 * postgres.js (DATABASE_URL). Services never know which one runs.
 */
import { mkdirSync } from "node:fs";
import { type SQL, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Runs `fn` while holding a PostgreSQL session advisory lock (serialises e.g. migrations). */
  withAdvisoryLock<T>(lockId: number, fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; absent = embedded PGlite. */
  url?: string;
  /** PGlite data folder; absent = in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10);
  return openPglite(options.dataDir);
}

function openPostgres(url: string, poolSize: number): Database {
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connection: { application_name: "ofn-bridge" },
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    async withAdvisoryLock(lockId, fn) {
      // A session lock needs one connection for lock, work and unlock: a private one-connection pool.
      const single = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await single`select pg_advisory_lock(${lockId})`;
        try {
          return await fn(drizzlePostgres(single, { schema }) as unknown as Db);
        } finally {
          await single`select pg_advisory_unlock(${lockId})`;
        }
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir?: string): Promise<Database> {
  // Loaded only when used: a bridge on PostgreSQL never pays for the WebAssembly build.
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  // PGlite lives in this process only, so an in-process queue per lock id does the lock's job.
  const queues = new Map<number, Promise<unknown>>();
  return {
    db,
    kind: "pglite",
    withAdvisoryLock(lockId, fn) {
      const previous = queues.get(lockId) ?? Promise.resolve();
      const run = previous.catch(() => {}).then(() => fn(db));
      queues.set(lockId, run);
      return run;
    },
    close: () => client.close(),
  };
}

/** Rows of a raw query, whichever driver answered (postgres.js gives an array, PGlite `{ rows }`). */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
