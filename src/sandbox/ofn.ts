/**
 * In-memory Open Food Network instance: the customers API with its pagination bug, the DFC and
 * shopfront look-ups, and `order_cycle.opened` webhooks delivered the way Sidekiq does.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { listen, SimulatorControls } from "./controls.js";
import { mountCustomerRoutes } from "./ofn/customers-api.js";
import { OrderCycles } from "./ofn/order-cycles.js";
import { mountPublicRoutes } from "./ofn/public-api.js";
import { mountSandboxRoutes } from "./ofn/sandbox-routes.js";
import { OfnStore } from "./ofn/store.js";
import { formatRailsJson } from "./ofn/time-format.js";
import type {
  OfnCustomer,
  OfnCustomerAttributes,
  OfnCustomerInput,
  OfnOrderCycle,
  OfnUser,
  OfnUserInput,
  OpenOrderCycleResult,
  OrderCycleInput,
  WebhookDelivery,
} from "./ofn/types.js";
import { WebhookDispatcher } from "./ofn/webhooks.js";

export type * from "./ofn/types.js";

export interface OfnSimulatorOptions {
  /** Absolute base for links (`links.next`, DFC ids); the request's origin when unset. */
  publicUrl?: string;
  /** The instance's TIMEZONE, used for webhook times (default Europe/Paris). */
  timeZone?: string;
  /** Multiplies Sidekiq's retry delays, e.g. 0.001 in tests. */
  webhookTimeScale?: number;
  /** Per-request webhook timeout (default 30000, as OFN). */
  webhookTimeoutMs?: number;
  /** Refuse loopback/private webhook URLs like a real instance (default false: tests listen locally). */
  refusePrivateAddresses?: boolean;
  /** Source of Sidekiq's retry jitter (default Math.random). */
  random?: () => number;
}

/** A user id, or the user's API key. */
export type OfnUserRef = string | number;

export interface OfnSimulator {
  app: Hono;
  controls: SimulatorControls;
  timeZone: string;
  setPublicUrl(url: string): void;
  addUser(user: OfnUserInput): OfnUser;
  /** Ids are assigned in increasing order; emails are trimmed and downcased unless `rawEmail`. */
  addCustomers(
    enterpriseId: number,
    customers: OfnCustomerInput[],
    options?: { rawEmail?: boolean },
  ): OfnCustomer[];
  updateCustomer(id: number, patch: Partial<OfnCustomerAttributes> & { rawEmail?: boolean }): void;
  /** Destroys the record, as OFN does when merging duplicate customers. */
  removeCustomer(id: number): void;
  customers(enterpriseId: number): OfnCustomer[];
  /** "Regenerate Key": the old key gets 401 at once. Returns the new key. */
  replaceApiKey(user: OfnUserRef, newKey?: string): string;
  /** The user's single `order_cycle_opened` endpoint (replaces any previous one). */
  setWebhookEndpoint(user: OfnUserRef, url: string): void;
  openOrderCycle(oc: OrderCycleInput): OpenOrderCycleResult;
  reopenOrderCycle(
    id: number,
    later: { ordersOpenAt: Date; ordersCloseAt?: Date | null },
  ): OpenOrderCycleResult;
  orderCycles(): OfnOrderCycle[];
  /** Sends OFN's `payment.completed` test payload (the only test button OFN has). */
  sendTestWebhook(user: OfnUserRef, url: string): WebhookDelivery;
  deliveries: WebhookDelivery[];
  /** Settles queued and in-flight deliveries; with `includeRetries`, also waits out pending retries. */
  flushWebhooks(options?: { includeRetries?: boolean }): Promise<void>;
  /** Stops retry timers and aborts deliveries in flight. */
  close(): void;
}

export function generateApiKey(): string {
  return randomBytes(24).toString("hex");
}

export function createOfnSimulator(opts: OfnSimulatorOptions = {}): OfnSimulator {
  const timeZone = opts.timeZone ?? "Europe/Paris";
  formatRailsJson(new Date(), timeZone); // fail fast on an unknown zone
  let publicUrl = opts.publicUrl?.replace(/\/+$/, "");
  const store = new OfnStore();
  const controls = new SimulatorControls();
  const dispatcher = new WebhookDispatcher({
    timeScale: opts.webhookTimeScale ?? 1,
    timeoutMs: opts.webhookTimeoutMs ?? 30_000,
    refusePrivateAddresses: opts.refusePrivateAddresses ?? false,
    random: opts.random ?? Math.random,
  });
  const cycles = new OrderCycles(store, dispatcher, timeZone);

  const app = new Hono();
  app.use("*", controls.middleware());
  controls.mountRoutes(app);
  mountSandboxRoutes(app, { store, cycles, dispatcher });
  const baseUrl = (c: { req: { url: string } }) => publicUrl ?? new URL(c.req.url).origin;
  mountCustomerRoutes(app, { store, baseUrl });
  mountPublicRoutes(app, {
    store,
    baseUrl,
    openOrderCyclesOf: (id) => cycles.openCyclesOf(id),
    formatTime: (instant) => formatRailsJson(instant, timeZone),
  });

  return {
    app,
    controls,
    timeZone,
    setPublicUrl: (url) => {
      publicUrl = url.replace(/\/+$/, "");
    },
    addUser: (user) => store.addUser(user),
    addCustomers: (enterpriseId, customers, options) => store.addCustomers(enterpriseId, customers, options),
    updateCustomer: (id, patch) => store.updateCustomer(id, patch),
    removeCustomer: (id) => store.removeCustomer(id),
    customers: (enterpriseId) => [...store.customers(enterpriseId)],
    replaceApiKey: (user, newKey = generateApiKey()) => {
      store.replaceApiKey(store.resolveUser(user), newKey);
      return newKey;
    },
    setWebhookEndpoint: (user, url) => {
      store.resolveUser(user).webhookUrl = url;
    },
    openOrderCycle: (oc) => cycles.open(oc),
    reopenOrderCycle: (id, later) => cycles.reopen(id, later),
    orderCycles: () => [...cycles.cycles.values()],
    sendTestWebhook: (user, url) => cycles.sendTestWebhook(store.resolveUser(user), url),
    deliveries: dispatcher.deliveries,
    flushWebhooks: (options) => dispatcher.flush(options),
    close: () => {
      dispatcher.close();
      controls.releaseHanging();
    },
  };
}

/** Listens on 127.0.0.1 (any free port unless `port`), then points links at that address. */
export async function startOfnSimulator(
  opts: OfnSimulatorOptions & { port?: number } = {},
): Promise<{ sim: OfnSimulator; url: string; close(): Promise<void> }> {
  const sim = createOfnSimulator(opts);
  const server = await listen(sim.app, opts.port ?? 0, () => sim.close());
  if (!opts.publicUrl) sim.setPublicUrl(server.url);
  return { sim, url: server.url, close: () => server.close() };
}
