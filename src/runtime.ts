/**
 * Builds the long-lived parts shared by main.ts and the CLI: config, logger, database (migrated),
 * keyring. Nothing here listens or schedules.
 */
import { resolve } from "node:path";
import { type Config, loadConfig } from "./config.js";
import { Keyring } from "./crypto/keyring.js";
import { loadMasterKeys } from "./crypto/master-keys.js";
import { type Database, openDatabase } from "./db/client.js";
import { migrateDatabase } from "./db/migrate.js";
import { createLogger, type Logger } from "./logger.js";

export interface Runtime {
  config: Config;
  logger: Logger;
  database: Database;
  keyring: Keyring;
}

export async function openRuntime(
  options: { config?: Config; logger?: Logger; migrate?: boolean } = {},
): Promise<Runtime> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const dataDir = resolve(config.DATA_DIR);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATABASE_URL ? undefined : resolve(dataDir, "pglite"),
    poolSize: config.DATABASE_POOL_SIZE,
  });
  if (options.migrate !== false) await migrateDatabase(database);
  const masterKeys = loadMasterKeys({ envValue: config.BRIDGE_ENCRYPTION_KEY, dataDir, logger });
  return { config, logger, database, keyring: new Keyring(database.db, masterKeys) };
}
