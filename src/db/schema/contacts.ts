import { sql } from "drizzle-orm";
import { boolean, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops.js";

/** Per shop and normalised email: what the bridge last wrote, so a re-sync writes only changes. */
export const contacts = pgTable(
  "contacts",
  {
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    /** Hash of the mapped contact as last written to the provider; null = never written. */
    contentHash: text("content_hash"),
    /** Last known status at the provider (subscribed, unsubscribed, blocklisted, ...), when known. */
    providerStatus: text("provider_status"),
    /** Present in OFN at the last complete sync. */
    inOfn: boolean("in_ofn").notNull().default(true),
    /** Tags the bridge set on this contact, so it can take off the ones that no longer apply. */
    tags: jsonb("tags").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /**
     * OFN customer records behind this contact at its last write (one per enterprise it buys
     * from). A contact from several is written once every enterprise has been read; one from a
     * single enterprise may be written while the others are still being read.
     */
    sources: smallint("sources").notNull().default(1),
    lastError: text("last_error"),
    /** A permanent provider refusal (fake email, compliance state): not retried until the data changes. */
    errorPermanent: boolean("error_permanent").notNull().default(false),
    syncedAt: timestamp("synced_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.email] })],
);
