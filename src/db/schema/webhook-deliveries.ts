import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops.js";

/** Every OFN webhook delivery received, committed before the 2xx. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    /** OFN's delivery id (stable across OFN's retries). */
    deliveryId: text("delivery_id").notNull(),
    event: text("event").notNull(),
    orderCycleId: integer("order_cycle_id"),
    openedAt: timestamp("opened_at", { withTimezone: true }),
    payload: jsonb("payload").notNull(),
    /** accepted | duplicate | ignored | not_announced */
    outcome: text("outcome").notNull(),
    /** How many times OFN delivered this id. */
    receivedCount: integer("received_count").notNull().default(1),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    lastReceivedAt: timestamp("last_received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("webhook_deliveries_shop_delivery_uq").on(t.shopId, t.deliveryId),
    index("webhook_deliveries_shop_idx").on(t.shopId, t.receivedAt),
  ],
);
