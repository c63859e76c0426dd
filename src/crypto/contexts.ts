/** Additional-data contexts bind a sealed value to its row: a value copied to another shop will not open. */
export const ofnKeyContext = (shopId: string) => `shop:${shopId}:ofn-key`;
export const providerKeyContext = (shopId: string) => `shop:${shopId}:provider-key`;
/** What the sign-in lookup hash covers: the same key on two instances is two shops. */
export const ofnKeyLookupInput = (instance: string, apiKey: string) =>
  `${new URL(instance).origin}\n${apiKey.trim()}`;
