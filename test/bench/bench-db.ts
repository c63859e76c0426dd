/**
 * A benchmark's own database on the PostgreSQL server named by DATABASE_URL: created fresh (a
 * benchmark seals keys with a new master key each run, so it cannot reuse an old database) and
 * dropped at the end. Without DATABASE_URL there is nothing to do: PGlite lives in DATA_DIR.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await client.unsafe(statement);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(serverUrl: string, prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
  };
}
