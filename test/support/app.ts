/** Builds the real app on a test database, with a real keyring and a captured logger. */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppDeps, createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { keyIdOf } from "../../src/crypto/aead.js";
import { Keyring } from "../../src/crypto/keyring.js";
import { LimiterPool } from "../../src/limiter.js";
import { createProviderFactory } from "../../src/providers/factory.js";
import { createTestDatabase, type TestDatabase } from "./db.js";
import { captureLogger } from "./logs.js";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  database: TestDatabase;
  logs: ReturnType<typeof captureLogger>;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const masterKey = randomBytes(32);
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), "bridge-test-")),
    BRIDGE_ENCRYPTION_KEY: masterKey.toString("base64"),
    SESSION_SECRET: randomBytes(32).toString("hex"),
    PUBLIC_URL: "https://bridge.test",
    LOG_LEVEL: "debug",
    ...env,
  });
  const logs = captureLogger();
  const keyring = new Keyring(database.db, [{ id: keyIdOf(masterKey), key: masterKey }]);
  const syncDeps = {
    db: database.db,
    keyring,
    logger: logs.logger,
    ofnLimiters: new LimiterPool(config.OFN_CONCURRENCY),
    providers: createProviderFactory(config, { retryBaseMs: 5 }),
    ofnRetryBaseMs: 5,
  };
  const deps: AppDeps = { config, database, logger: logs.logger, keyring, syncDeps };
  return { app: createApp(deps), deps, database, logs, close: () => database.close() };
}
