/** Who did what to a shop's setup. Details never hold a secret (at most a key's last 4 characters). */
import type { Db } from "../db/client.js";
import { auditLog } from "../db/schema/index.js";

export async function recordAudit(
  db: Db,
  shopId: string | null,
  action: string,
  detail: Record<string, unknown> = {},
  actor: "shop" | "admin" | "system" | "cli" = "shop",
): Promise<void> {
  await db.insert(auditLog).values({ shopId, actor, action, detail });
}
