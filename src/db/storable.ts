/**
 * What PostgreSQL cannot store: text holding a NUL character or half of a UTF-16 surrogate pair
 * (JSON carries both as escapes; text and jsonb refuse them, also as query parameters), and jsonb
 * nested a few thousand levels deep. Inputs are checked with this before they reach a query, so
 * they are refused as bad input (400) instead of failing in the database (500). Found by the
 * fuzz tests under test/fuzz.
 */
const HALF_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface UnstorableValue {
  /** Where it is, e.g. ["campaigns", "fromName"]; a key is named by its own path. */
  path: string[];
  reason: "text" | "depth";
}

export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !HALF_SURROGATE.test(text);
}

/** The first string or key that cannot be stored, or nesting deeper than `maxDepth`; undefined when all is fine. */
export function findUnstorable(value: unknown, maxDepth = 64): UnstorableValue | undefined {
  const pending: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (pending.length > 0) {
    const { value: item, path } = pending.pop()!;
    if (typeof item === "string") {
      if (!isStorableText(item)) return { path, reason: "text" };
    } else if (item !== null && typeof item === "object") {
      if (path.length >= maxDepth) return { path, reason: "depth" };
      for (const [key, child] of Object.entries(item)) {
        if (!isStorableText(key)) return { path: [...path, key], reason: "text" };
        pending.push({ value: child, path: [...path, key] });
      }
    }
  }
  return undefined;
}
