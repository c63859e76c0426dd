/**
 * Shop-scoped API access: the shop presents its own OFN API key and instance. The key is matched
 * through the keyed lookup hash (never compared or stored in clear), exactly as at sign-in.
 */
import type { Config } from "../config.js";
import type { Keyring } from "../crypto/keyring.js";
import type { Db } from "../db/client.js";
import { resolveOfnInstance } from "../ofn/client.js";
import { findShopByOfnKey, normaliseOfnKey } from "../shops/connect.js";

/** The id of the shop that owns this key on this (allow-listed) instance, or undefined. */
export async function findShopIdByApiKey(
  deps: { db: Db; keyring: Keyring; config: Pick<Config, "OFN_INSTANCES"> },
  instanceInput: string,
  rawKey: string,
): Promise<string | undefined> {
  const instance = resolveOfnInstance(deps.config.OFN_INSTANCES, instanceInput);
  if (!instance) return undefined;
  let key: string;
  try {
    key = normaliseOfnKey(rawKey);
  } catch {
    // Not shaped like an OFN key: no shop can have it, no lookup needed.
    return undefined;
  }
  const shop = await findShopByOfnKey(deps, instance, key);
  return shop?.id;
}
