import { boolean, integer, pgTable, serial, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops.js";

/** The OFN enterprises a shop's key can see; the shop picks which to sync and announce. */
export const shopEnterprises = pgTable(
  "shop_enterprises",
  {
    id: serial("id").primaryKey(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    enterpriseId: integer("enterprise_id").notNull(),
    name: text("name").notNull(),
    permalink: text("permalink"),
    shopUrl: text("shop_url"),
    syncCustomers: boolean("sync_customers").notNull().default(true),
    announceCycles: boolean("announce_cycles").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("shop_enterprises_shop_enterprise_uq").on(t.shopId, t.enterpriseId)],
);
