import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyIdOf } from "../../src/crypto/aead.js";
import { ofnKeyContext } from "../../src/crypto/contexts.js";
import { Keyring } from "../../src/crypto/keyring.js";
import { KEY_FILE_NAME, loadMasterKeys } from "../../src/crypto/master-keys.js";
import { rotateSealingKey } from "../../src/crypto/rotate.js";
import { shops } from "../../src/db/schema/index.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

const master = () => {
  const key = randomBytes(32);
  return { id: keyIdOf(key), key };
};

describe("sealed secrets", () => {
  let database: TestDatabase;
  // The shared database's data key is wrapped under this one master key.
  const sharedMaster = master();
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it("round-trips and never stores the plaintext", async () => {
    const keyring = new Keyring(database.db, [sharedMaster]);
    const secret = "0123456789abcdef0123456789abcdef0123456789abcdef";
    const sealed = await keyring.seal(secret, "shop:a:ofn-key");
    expect(sealed).not.toContain(secret);
    expect(sealed.startsWith("v1.dk-")).toBe(true);
    expect(await keyring.unseal(sealed, "shop:a:ofn-key")).toBe(secret);
    // Random nonce: sealing twice gives two different envelopes.
    expect(await keyring.seal(secret, "shop:a:ofn-key")).not.toBe(sealed);
  });

  it("detects tampering and a value moved to another row", async () => {
    const keyring = new Keyring(database.db, [sharedMaster]);
    const sealed = await keyring.seal("mailchimp-key-us21", "shop:a:provider-key");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 0xff;
    const tampered = [...parts.slice(0, 3), body.toString("base64url")].join(".");
    await expect(keyring.unseal(tampered, "shop:a:provider-key")).rejects.toThrow(/tampered/);
    await expect(keyring.unseal(sealed, "shop:b:provider-key")).rejects.toThrow(/tampered/);
  });

  it("refuses to open with a wrong master key", async () => {
    const isolated = await createTestDatabase();
    try {
      const sealed = await new Keyring(isolated.db, [master()]).seal("secret-value", "ctx");
      const stranger = new Keyring(isolated.db, [master()]);
      await expect(stranger.unseal(sealed, "ctx")).rejects.toThrow(/not configured/);
    } finally {
      await isolated.close();
    }
  });

  it("rotates every secret to a new key while another process keeps reading", async () => {
    const isolated = await createTestDatabase();
    try {
      const masterKey = master();
      const service = new Keyring(isolated.db, [masterKey]);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const id = crypto.randomUUID();
        ids.push(id);
        await isolated.db.insert(shops).values({
          id,
          ofnInstance: "https://ofn.test",
          ofnKeyLookup: `lookup-${id}`,
          ofnApiKeySealed: await service.seal(`ofn-key-${i}`, ofnKeyContext(id)),
          ofnApiKeyLast4: "abcd",
        });
      }
      const before = await isolated.db.select().from(shops);
      const oldKeyId = service.keyIdOf(before[0]!.ofnApiKeySealed);

      // The CLI is another process: its own keyring over the same database and master key.
      const cli = new Keyring(isolated.db, [masterKey]);
      const result = await rotateSealingKey(isolated.db, cli);
      expect(result.resealed).toBe(3);
      expect(result.newKeyId).not.toBe(oldKeyId);

      const after = await isolated.db.select().from(shops);
      for (const row of after) {
        expect(service.keyIdOf(row.ofnApiKeySealed)).toBe(result.newKeyId);
        // The running service meets a key id it has never seen and still opens the value.
        expect(await service.unseal(row.ofnApiKeySealed, ofnKeyContext(row.id))).toMatch(/^ofn-key-\d$/);
      }
    } finally {
      await isolated.close();
    }
  });

  it("generates a 0600 key file for the zero-configuration start and reuses it", () => {
    const dir = mkdtempSync(join(tmpdir(), "bridge-keys-"));
    const first = loadMasterKeys({ dataDir: dir });
    const file = join(dir, KEY_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim().length).toBeGreaterThan(40);
    const second = loadMasterKeys({ dataDir: dir });
    expect(second[0]!.id).toBe(first[0]!.id);
  });

  it("takes several master keys from the environment, the first one sealing", () => {
    const a = randomBytes(32).toString("hex");
    const b = randomBytes(32).toString("base64");
    const keys = loadMasterKeys({ envValue: `${a},${b}`, dataDir: "/nonexistent" });
    expect(keys).toHaveLength(2);
    expect(keys[0]!.key.toString("hex")).toBe(a);
  });
});
