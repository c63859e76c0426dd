import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { shops } from "./shops.js";

/** A customer sync of one shop; the row is also the queue entry (status + lease). */
export const syncRuns = pgTable(
  "sync_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shopId: uuid("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    /** queued | running | succeeded | failed */
    status: text("status").notNull().default("queued"),
    /** schedule | manual | cli | admin */
    trigger: text("trigger").notNull().default("manual"),
    attempts: integer("attempts").notNull().default(0),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total").notNull().default(0),
    /** fetched, new, updated, unchanged, invalid, skippedConsent, failed, removed */
    counts: jsonb("counts").notNull().default(sql`'{}'::jsonb`),
    /** Invalid emails found (capped), so the shop can fix them in OFN. */
    invalidEmails: jsonb("invalid_emails").notNull().default(sql`'[]'::jsonb`),
    warnings: jsonb("warnings").notNull().default(sql`'[]'::jsonb`),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    // One active run per shop, enforced by the database whatever the number of replicas.
    uniqueIndex("sync_runs_one_active_per_shop").on(t.shopId).where(sql`status in ('queued', 'running')`),
    index("sync_runs_claim_idx").on(t.status, t.queuedAt),
    index("sync_runs_shop_idx").on(t.shopId, t.queuedAt),
  ],
);
