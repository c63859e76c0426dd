import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops.js";

/** The shop's newsletter template: its own subject/body with variables, or a provider template. */
export const campaignTemplates = pgTable("campaign_templates", {
  id: uuid("id").primaryKey().defaultRandom(),
  shopId: uuid("shop_id")
    .notNull()
    .unique()
    .references(() => shops.id, { onDelete: "cascade" }),
  /** custom | provider */
  mode: text("mode").notNull().default("custom"),
  subject: text("subject").notNull(),
  /** markdown | html */
  bodyFormat: text("body_format").notNull().default("markdown"),
  body: text("body").notNull(),
  /** Mailchimp campaign id to replicate, or Brevo template id. */
  providerTemplateId: text("provider_template_id"),
  lastCallSubject: text("last_call_subject"),
  lastCallBody: text("last_call_body"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
