/** AES-256-GCM with a random 96-bit nonce; the envelope names the key that sealed it. */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const VERSION = "v1";

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealError";
  }
}

export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

/** `v1.<keyId>.<nonce>.<ciphertext+tag>` (base64url). `context` is bound as additional data. */
export function sealWith(key: Buffer, keyId: string, plaintext: string, context: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, keyId, nonce.toString("base64url"), body.toString("base64url")].join(".");
}

export function parseEnvelope(envelope: string): { keyId: string; nonce: Buffer; body: Buffer } {
  const parts = envelope.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SealError("not a sealed value");
  const [, keyId, nonce, body] = parts as [string, string, string, string];
  return { keyId, nonce: Buffer.from(nonce, "base64url"), body: Buffer.from(body, "base64url") };
}

export function openWith(key: Buffer, envelope: string, context: string): string {
  const { nonce, body } = parseEnvelope(envelope);
  if (nonce.length !== 12 || body.length < 16) throw new SealError("sealed value is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(body.subarray(body.length - 16));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SealError("sealed value was tampered with or sealed under another key");
  }
}

/** Accepts 64 hex characters or base64 for 32 bytes. */
export function decodeKey(text: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (key.length !== 32) throw new SealError("an encryption key must be 32 bytes");
  return key;
}
