/**
 * OFN's webhook body (ofn.md §2.1–2.3). Only `order_cycle.opened` is read closely; any other event
 * (the payment test button, real payment events) is accepted with a minimal envelope and ignored.
 */
import { z } from "zod";
import { findUnstorable } from "../db/storable.js";

/** ISO 8601 with an offset, as Rails' `TimeWithZone#as_json` writes it: `2023-02-07T17:12:45.000+11:00`. */
const isoInstant = z.iso.datetime({ offset: true, message: "expected an ISO 8601 date-time with an offset" });

export const envelopeSchema = z.object({
  /** ActiveJob's job id: stable across OFN's retries of one delivery. */
  id: z.string().trim().min(1).max(200),
  event: z.string().trim().min(1).max(100),
  // `at` is Rails' `to_s` ("2023-02-07 17:12:45 +1100"), not ISO: kept as text, never parsed.
  at: z.string().max(100).optional(),
  data: z.record(z.string(), z.unknown()),
});

export const orderCycleOpenedSchema = z.object({
  id: z.number().int().positive(),
  name: z.string().max(500),
  orders_open_at: isoInstant.nullable().optional(),
  opened_at: isoInstant,
  orders_close_at: isoInstant.nullable().optional(),
  coordinator_id: z.number().int().positive(),
  coordinator_name: z.string().max(500),
});

export const ORDER_CYCLE_OPENED = "order_cycle.opened";

/** What the bridge keeps of an opened order cycle (campaigns.order_cycle). */
export interface OrderCycleData {
  id: number;
  name: string;
  ordersOpenAt: string | null;
  openedAt: string;
  ordersCloseAt: string | null;
  coordinatorId: number;
  coordinatorName: string;
}

export type ParsedDelivery =
  | { event: typeof ORDER_CYCLE_OPENED; deliveryId: string; orderCycle: OrderCycleData }
  | { event: string; deliveryId: string; orderCycle?: undefined };

export type ParseResult = { ok: true; delivery: ParsedDelivery } | { ok: false; message: string };

/** Deeper than any OFN payload (4 levels) by far. */
const MAX_DEPTH = 32;

/**
 * Why a decoded body cannot be stored as it is, or undefined. Checked before anything else, so
 * such a body gets a 400 naming the problem instead of a database error (a 500, which OFN would
 * retry for days); the fuzz tests found both cases.
 */
function unstorable(body: unknown): string | undefined {
  const found = findUnstorable(body, MAX_DEPTH);
  if (!found) return undefined;
  return found.reason === "depth"
    ? `invalid webhook body: nested deeper than ${MAX_DEPTH} levels`
    : `invalid webhook body: ${found.path.join(".") || "body"}: text with a NUL character or broken Unicode`;
}

/** Validates a decoded JSON body; the message names the first offending field. */
export function parseDelivery(body: unknown): ParseResult {
  const problem = unstorable(body);
  if (problem) return { ok: false, message: problem };
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, message: describe(envelope.error, "") };
  const { id, event, data } = envelope.data;
  if (event !== ORDER_CYCLE_OPENED) return { ok: true, delivery: { event, deliveryId: id } };
  const oc = orderCycleOpenedSchema.safeParse(data);
  if (!oc.success) return { ok: false, message: describe(oc.error, "data.") };
  return {
    ok: true,
    delivery: {
      event: ORDER_CYCLE_OPENED,
      deliveryId: id,
      orderCycle: {
        id: oc.data.id,
        name: oc.data.name,
        ordersOpenAt: oc.data.orders_open_at ?? null,
        openedAt: oc.data.opened_at,
        ordersCloseAt: oc.data.orders_close_at ?? null,
        coordinatorId: oc.data.coordinator_id,
        coordinatorName: oc.data.coordinator_name,
      },
    },
  };
}

function describe(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  if (!issue) return "invalid webhook body";
  const path =
    issue.path.length > 0 ? `${prefix}${issue.path.join(".")}` : prefix.replace(/\.$/, "") || "body";
  return `invalid webhook body: ${path}: ${issue.message}`;
}
