/**
 * Master keys: BRIDGE_ENCRYPTION_KEY (comma-separated, the first one wraps new data keys), or
 * for the zero-configuration start a key generated once into DATA_DIR with 0600 permissions.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import { decodeKey, keyIdOf } from "./aead.js";

export interface MasterKey {
  id: string;
  key: Buffer;
}

export const KEY_FILE_NAME = "encryption.key";

export function loadMasterKeys(options: {
  envValue?: string;
  dataDir: string;
  logger?: Logger;
}): MasterKey[] {
  if (options.envValue) {
    return options.envValue.split(",").map((text) => {
      const key = decodeKey(text);
      return { id: keyIdOf(key), key };
    });
  }
  const file = join(options.dataDir, KEY_FILE_NAME);
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    options.logger?.warn(
      { file },
      "generated an encryption key in the data folder; in production set BRIDGE_ENCRYPTION_KEY and keep a copy of it",
    );
  } else {
    options.logger?.warn(
      { file },
      "using the encryption key from the data folder; in production set BRIDGE_ENCRYPTION_KEY",
    );
  }
  chmodSync(file, 0o600);
  const key = decodeKey(readFileSync(file, "utf8"));
  return [{ id: keyIdOf(key), key }];
}
