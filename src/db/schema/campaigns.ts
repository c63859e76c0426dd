import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops.js";

/**
 * One newsletter per (shop, order cycle, opening, kind): the unique constraint is what makes
 * "exactly once" hold across OFN retries, two owners' endpoints and several replicas.
 * The row is a state machine: pending -> created -> content_set -> sent | scheduled | draft,
 * or failed / cancelled; provider ids are stored at each step so a crash resumes, never repeats.
 */
export const campaigns = pgTable(
  "campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    /** announcement | last_call | test */
    kind: text("kind").notNull().default("announcement"),
    orderCycleId: integer("order_cycle_id").notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    orderCycle: jsonb("order_cycle").notNull(),
    status: text("status").notNull().default("pending"),
    provider: text("provider"),
    providerCampaignId: text("provider_campaign_id"),
    providerUrl: text("provider_url"),
    subject: text("subject"),
    /** When the work may run (delayed sends, last call before closing). */
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    scheduledFor: timestamp("scheduled_for", { withTimezone: true }),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    details: jsonb("details").notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("campaigns_once_uq").on(t.shopId, t.orderCycleId, t.openedAt, t.kind),
    index("campaigns_claim_idx").on(t.status, t.runAt),
    index("campaigns_shop_idx").on(t.shopId, t.createdAt),
  ],
);
