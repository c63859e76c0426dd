/** Additional-data contexts bind a sealed value to its row: a value copied to another shop will not open. */
export const ofnKeyContext = (shopId: string) => `shop:${shopId}:ofn-key`;
export const providerKeyContext = (shopId: string) => `shop:${shopId}:provider-key`;
