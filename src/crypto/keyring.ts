/**
 * Seals the shops' API keys at rest. Envelope encryption: secrets are sealed under a data key
 * (id in every envelope), data keys are stored wrapped under a master key in `sealing_keys`.
 * Rotation adds a data key and re-seals every secret under it while the service runs: other
 * processes load a data key they do not know yet on first sight of its id.
 */
import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { sealingKeys } from "../db/schema/index.js";
import { keyIdOf, openWith, parseEnvelope, SealError, sealWith } from "./aead.js";
import type { MasterKey } from "./master-keys.js";

const WRAP_CONTEXT = "sealing-key";
const CURRENT_KEY_TTL_MS = 60_000;

export class Keyring {
  private readonly dataKeys = new Map<string, Buffer>();
  private currentId: string | undefined;
  private currentCheckedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly masterKeys: MasterKey[],
  ) {
    if (masterKeys.length === 0) throw new SealError("no master key");
  }

  /** Seals `plaintext`; `context` (e.g. "shop:<id>:ofn") must be given again to unseal. */
  async seal(plaintext: string, context: string): Promise<string> {
    const id = await this.currentKeyId();
    return sealWith(this.dataKeys.get(id)!, id, plaintext, context);
  }

  async unseal(envelope: string, context: string): Promise<string> {
    const { keyId } = parseEnvelope(envelope);
    const key = this.dataKeys.get(keyId) ?? (await this.loadDataKey(keyId));
    return openWith(key, envelope, context);
  }

  /**
   * Keyed hashes (HMAC-SHA256, key derived from each master key) for finding a row by a secret
   * without storing it: the first is the one to store; the others still match during a rotation.
   */
  lookupHashes(value: string): string[] {
    return this.masterKeys.map((master) => {
      const key = Buffer.from(hkdfSync("sha256", master.key, Buffer.alloc(0), "secret-lookup", 32));
      return createHmac("sha256", key).update(value).digest("base64url");
    });
  }

  keyIdOf(envelope: string): string {
    return parseEnvelope(envelope).keyId;
  }

  /** The data key new secrets are sealed with; created on first use. */
  async currentKeyId(): Promise<string> {
    // Re-read now and then: another process may have rotated, and new secrets should follow.
    if (this.currentId && Date.now() - this.currentCheckedAt < CURRENT_KEY_TTL_MS) return this.currentId;
    const [row] = await this.db
      .select()
      .from(sealingKeys)
      .where(isNull(sealingKeys.retiredAt))
      .orderBy(desc(sealingKeys.createdAt))
      .limit(1);
    if (row) {
      this.dataKeys.set(row.id, this.unwrap(row.wrapped, row.masterKeyId));
      this.currentId = row.id;
      this.currentCheckedAt = Date.now();
      return row.id;
    }
    return this.createDataKey();
  }

  /** Adds a new data key and makes it current (the first step of a rotation). */
  async createDataKey(): Promise<string> {
    const key = randomBytes(32);
    const id = `dk-${keyIdOf(key)}`;
    const master = this.masterKeys[0]!;
    await this.db.insert(sealingKeys).values({
      id,
      wrapped: sealWith(master.key, master.id, key.toString("base64"), WRAP_CONTEXT),
      masterKeyId: master.id,
    });
    this.dataKeys.set(id, key);
    this.currentId = id;
    this.currentCheckedAt = Date.now();
    return id;
  }

  /** Marks every data key but `keepId` retired and re-wraps `keepId` under the first master key. */
  async retireAllBut(keepId: string): Promise<void> {
    const rows = await this.db.select().from(sealingKeys);
    for (const row of rows) {
      if (row.id === keepId) {
        const master = this.masterKeys[0]!;
        if (row.masterKeyId !== master.id) {
          const key = this.unwrap(row.wrapped, row.masterKeyId);
          await this.db
            .update(sealingKeys)
            .set({
              wrapped: sealWith(master.key, master.id, key.toString("base64"), WRAP_CONTEXT),
              masterKeyId: master.id,
            })
            .where(eq(sealingKeys.id, row.id));
        }
      } else if (!row.retiredAt) {
        await this.db.update(sealingKeys).set({ retiredAt: new Date() }).where(eq(sealingKeys.id, row.id));
      }
    }
  }

  private async loadDataKey(id: string): Promise<Buffer> {
    const [row] = await this.db.select().from(sealingKeys).where(eq(sealingKeys.id, id)).limit(1);
    if (!row) throw new SealError(`unknown sealing key ${id}`);
    const key = this.unwrap(row.wrapped, row.masterKeyId);
    this.dataKeys.set(id, key);
    // Another process rotated: seal new secrets with its key too.
    if (!row.retiredAt) this.currentId = undefined;
    return key;
  }

  private unwrap(wrapped: string, masterKeyId: string): Buffer {
    const master = this.masterKeys.find((m) => m.id === masterKeyId);
    if (!master) {
      throw new SealError(`sealing key was wrapped under master key ${masterKeyId}, which is not configured`);
    }
    return Buffer.from(openWith(master.key, wrapped, WRAP_CONTEXT), "base64");
  }
}
