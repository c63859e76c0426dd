import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { PROJECT_ROOT } from "../paths.js";
import { type Database, type Db, queryRows } from "./client.js";

export const MIGRATIONS_FOLDER = join(PROJECT_ROOT, "drizzle");

/** Arbitrary constant shared by every replica: "the bridge is migrating". */
const MIGRATION_LOCK_ID = 7_246_901;

/**
 * Applies the committed drizzle migrations. Several replicas starting at once queue on an
 * advisory lock; the first migrates, the others find nothing left to do.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  await database.withAdvisoryLock(MIGRATION_LOCK_ID, async (db) => {
    // The migrator functions only differ in the driver type they accept; both issue plain SQL.
    const config = { migrationsFolder: MIGRATIONS_FOLDER };
    if (database.kind === "pglite") {
      const { migrate: migratePglite } = await import("drizzle-orm/pglite/migrator");
      await migratePglite(db as never, config);
    } else {
      await migratePostgres(db as never, config);
    }
  });
}

function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/** True when every committed migration has been applied (what /readyz reports). */
export async function isMigrated(db: Db): Promise<boolean> {
  try {
    const rows = await queryRows<{ n: number | string }>(
      db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    return Number(rows[0]?.n ?? 0) >= expectedMigrationCount();
  } catch {
    return false;
  }
}
