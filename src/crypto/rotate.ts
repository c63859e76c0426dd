import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { providerConnections, shops } from "../db/schema/index.js";
import { ofnKeyContext, ofnKeyLookupInput, providerKeyContext } from "./contexts.js";
import type { Keyring } from "./keyring.js";

export interface RotationResult {
  newKeyId: string;
  resealed: number;
}

/**
 * Re-seals every secret under a fresh data key, one row at a time so the service keeps running;
 * readers on other replicas fetch the new data key when they first meet its id.
 */
export async function rotateSealingKey(
  db: Db,
  keyring: Keyring,
  onProgress?: (done: number, total: number) => void,
): Promise<RotationResult> {
  const newKeyId = await keyring.createDataKey();
  const shopRows = await db
    .select({ id: shops.id, sealed: shops.ofnApiKeySealed, instance: shops.ofnInstance })
    .from(shops);
  const providerRows = await db
    .select({
      id: providerConnections.id,
      shopId: providerConnections.shopId,
      sealed: providerConnections.apiKeySealed,
    })
    .from(providerConnections);
  const total = shopRows.length + providerRows.length;
  let done = 0;
  let resealed = 0;
  for (const row of shopRows) {
    if (keyring.keyIdOf(row.sealed) !== newKeyId) {
      const context = ofnKeyContext(row.id);
      const apiKey = await keyring.unseal(row.sealed, context);
      const sealed = await keyring.seal(apiKey, context);
      // The sign-in lookup follows the first master key too (it changes when the master key does).
      const [lookup] = keyring.lookupHashes(ofnKeyLookupInput(row.instance, apiKey));
      await db
        .update(shops)
        .set({ ofnApiKeySealed: sealed, ofnKeyLookup: lookup })
        .where(eq(shops.id, row.id));
      resealed += 1;
    }
    onProgress?.(++done, total);
  }
  for (const row of providerRows) {
    if (keyring.keyIdOf(row.sealed) !== newKeyId) {
      const context = providerKeyContext(row.shopId);
      const sealed = await keyring.seal(await keyring.unseal(row.sealed, context), context);
      await db
        .update(providerConnections)
        .set({ apiKeySealed: sealed })
        .where(eq(providerConnections.id, row.id));
      resealed += 1;
    }
    onProgress?.(++done, total);
  }
  await keyring.retireAllBut(newKeyId);
  return { newKeyId, resealed };
}
