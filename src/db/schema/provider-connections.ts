import { sql } from "drizzle-orm";
import { jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops.js";

/** The shop's Mailchimp or Brevo account (one per shop) and the audience/list it feeds. */
export const providerConnections = pgTable("provider_connections", {
  id: uuid("id").primaryKey().defaultRandom(),
  shopId: uuid("shop_id")
    .notNull()
    .unique()
    .references(() => shops.id, { onDelete: "cascade" }),
  /** mailchimp | brevo */
  provider: text("provider").notNull(),
  apiKeySealed: text("api_key_sealed").notNull(),
  apiKeyLast4: text("api_key_last4").notNull(),
  /** Mailchimp datacenter or Brevo account email: shown to the shop, never secret. */
  accountLabel: text("account_label"),
  audienceId: text("audience_id"),
  audienceName: text("audience_name"),
  settings: jsonb("settings").notNull().default(sql`'{}'::jsonb`),
  /** ok | broken */
  status: text("status").notNull().default("ok"),
  statusMessage: text("status_message"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
