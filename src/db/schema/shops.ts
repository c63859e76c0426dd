import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** A shop = one OFN user connection on one OFN instance (the key covers all the user's enterprises). */
export const shops = pgTable(
  "shops",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ofnInstance: text("ofn_instance").notNull(),
    /** Keyed hash (HMAC) of instance + OFN key: signing in again = pasting the key again. */
    ofnKeyLookup: text("ofn_key_lookup").notNull().unique(),
    ofnApiKeySealed: text("ofn_api_key_sealed").notNull(),
    ofnApiKeyLast4: text("ofn_api_key_last4").notNull(),
    name: text("name").notNull().default(""),
    contactEmail: text("contact_email"),
    locale: text("locale").notNull().default("fr"),
    timeZone: text("time_zone").notNull().default("Europe/Paris"),
    /** active | paused | broken (a key was refused: the shop must paste a new one). */
    status: text("status").notNull().default("active"),
    statusMessage: text("status_message"),
    /** SHA-256 of the webhook URL token; the token itself is shown once and never stored. */
    webhookTokenHash: text("webhook_token_hash").unique(),
    /** Everything a shop configures (mapping, consent, schedule, campaign options), validated by zod. */
    settings: jsonb("settings").notNull().default(sql`'{}'::jsonb`),
    nextSyncAt: timestamp("next_sync_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("shops_next_sync_idx").on(t.nextSyncAt)],
);
