/**
 * A fresh, migrated database per test file: in-memory PGlite by default, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (dropped again in `close`).
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrateDatabase } from "../../src/db/migrate.js";

export interface TestDatabase extends Database {
  url?: string;
}

// Read here rather than through src/config.ts: this is the test harness's own switch.
const serverUrl = process.env.TEST_DATABASE_URL;

export function usingPostgres(): boolean {
  return Boolean(serverUrl);
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let database: TestDatabase;
  if (serverUrl) {
    const name = `bridge_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const opened = await openDatabase({ url: url.toString(), poolSize: 5 });
    database = {
      ...opened,
      url: url.toString(),
      async close() {
        await opened.close();
        const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  } else {
    database = await openDatabase({});
  }
  if (options.migrate !== false) await migrateDatabase(database);
  return database;
}
