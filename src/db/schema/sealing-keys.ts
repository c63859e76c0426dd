import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Data keys that seal the shops' API keys, each wrapped (AES-256-GCM) under a master key from
 * BRIDGE_ENCRYPTION_KEY or the generated key file. Kept in the database so every replica sees a
 * rotation at once; a master key never touches the database.
 */
export const sealingKeys = pgTable("sealing_keys", {
  id: text("id").primaryKey(),
  wrapped: text("wrapped").notNull(),
  masterKeyId: text("master_key_id").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp("retired_at", { withTimezone: true }),
});
