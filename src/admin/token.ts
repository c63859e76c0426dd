/** The operator's ADMIN_TOKEN: admin pages and the operator API exist only when it is set. */
import { createHash, timingSafeEqual } from "node:crypto";

export function adminEnabled(config: { ADMIN_TOKEN?: string | undefined }): boolean {
  return Boolean(config.ADMIN_TOKEN);
}

/**
 * Constant-time comparison of a presented token with ADMIN_TOKEN. Digests are compared, so
 * neither the length nor a common prefix shows in the timing.
 */
export function isAdminToken(
  config: { ADMIN_TOKEN?: string | undefined },
  given: string | undefined,
): boolean {
  const expected = config.ADMIN_TOKEN;
  if (!expected || !given || given.length > 1024) return false;
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}
