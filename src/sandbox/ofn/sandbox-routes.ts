/**
 * OFN-specific controls under /__sandbox: what OFN itself only offers through its admin UI
 * (opening a cycle, pasting a webhook URL), so a person or the demo can drive it over HTTP.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { OrderCycles } from "./order-cycles.js";
import type { OfnStore } from "./store.js";
import type { WebhookDelivery } from "./types.js";
import type { WebhookDispatcher } from "./webhooks.js";

export interface SandboxContext {
  store: OfnStore;
  cycles: OrderCycles;
  dispatcher: WebhookDispatcher;
}

const isoDate = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
const userRef = z.union([z.object({ apiKey: z.string() }), z.object({ userId: z.number().int() })]);

const orderCycleBody = z.object({
  id: z.number().int().positive().optional(),
  name: z.string().min(1),
  coordinatorId: z.number().int(),
  distributorIds: z.array(z.number().int()).optional(),
  ordersOpenAt: isoDate.optional(),
  ordersCloseAt: isoDate.nullable().optional(),
  openedAt: isoDate.optional(),
});
const reopenBody = z.object({
  ordersOpenAt: isoDate,
  ordersCloseAt: isoDate.nullable().optional(),
  openedAt: isoDate.optional(),
});
const endpointBody = z.intersection(userRef, z.object({ url: z.string().min(1) }));

export function mountSandboxRoutes(app: Hono, ctx: SandboxContext): void {
  app.get("/__sandbox/state", (c) => c.json(describeState(ctx)));

  app.post("/__sandbox/order-cycles", (c) =>
    withBody(c, orderCycleBody, (input) => {
      const result = ctx.cycles.open(input);
      return c.json({ ...result, deliveries: result.deliveries.map(describeDelivery) }, 201);
    }),
  );

  app.post("/__sandbox/order-cycles/:id/reopen", (c) =>
    withBody(c, reopenBody, (input) => {
      const result = ctx.cycles.reopen(Number(c.req.param("id")), input);
      return c.json({ ...result, deliveries: result.deliveries.map(describeDelivery) });
    }),
  );

  // No URL validation, as in OFN: the model only checks presence.
  app.post("/__sandbox/webhook-endpoints", (c) =>
    withBody(c, endpointBody, (input) => {
      const user = ctx.store.resolveUser("apiKey" in input ? input.apiKey : input.userId);
      user.webhookUrl = input.url;
      return c.json({ userId: user.id, url: user.webhookUrl });
    }),
  );

  app.post("/__sandbox/test-webhook", (c) =>
    withBody(c, endpointBody, (input) => {
      const user = ctx.store.resolveUser("apiKey" in input ? input.apiKey : input.userId);
      return c.json(describeDelivery(ctx.cycles.sendTestWebhook(user, input.url)), 201);
    }),
  );
}

async function withBody<T>(c: Context, schema: z.ZodType<T>, handle: (input: T) => Response) {
  const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
  try {
    return handle(parsed.data);
  } catch (error) {
    return c.json({ error: error instanceof Error ? error.message : String(error) }, 400);
  }
}

function describeState({ store, cycles, dispatcher }: SandboxContext) {
  return {
    users: [...store.users.values()].map((u) => ({
      id: u.id,
      email: u.email,
      // Enough to tell keys apart on screen without making the page a key dump.
      apiKey: `…${u.apiKey.slice(-4)}`,
      enterpriseIds: u.enterpriseIds,
      webhookUrl: u.webhookUrl,
    })),
    enterprises: [...store.enterprises.values()].map((e) => ({ ...e, customers: store.customerCount(e.id) })),
    orderCycles: [...cycles.cycles.values()],
    deliveries: dispatcher.deliveries.map(describeDelivery),
  };
}

function describeDelivery(d: WebhookDelivery) {
  return {
    id: d.id,
    event: d.event,
    userId: d.userId,
    url: d.url,
    body: d.body,
    attempts: d.attempts,
    done: d.done,
    gaveUp: d.gaveUp,
    nextAttemptAt: d.nextAttemptAt === null ? null : new Date(d.nextAttemptAt).toISOString(),
  };
}
