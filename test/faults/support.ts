/**
 * Helpers for the fault tests: shops whose audiences can be compared with an uninterrupted
 * reference run, a sync run driven the way a worker runs it, and fault injection at the right
 * request (the simulators' rules match a path prefix only, so "page 2 fails" is armed by counting).
 */
import { eq } from "drizzle-orm";
import { providerConnections, shopEnterprises, shops, type syncRuns } from "../../src/db/schema/index.js";
import { enqueueSync, getSyncRun } from "../../src/jobs/sync-queue.js";
import { runSyncRunNow } from "../../src/jobs/sync-worker.js";
import type { ProviderKind } from "../../src/providers/types.js";
import type { FaultRule } from "../../src/sandbox/controls.js";
import type { OfnCustomerInput } from "../../src/sandbox/ofn.js";
import { generateCustomers } from "../../src/sandbox/seed.js";
import type { ShopSettings } from "../../src/shops/settings.js";
import { audienceOf, comparableAudience } from "../support/audience.js";
import { uniqueId } from "../support/ids.js";
import { createShop, type TestShop, type World } from "../support/world.js";

/** Every twin shop's enterprise has this name, so the enterprise tag is the same in every audience. */
export const TWIN_ENTERPRISE = "Ferme des Jumeaux";

/**
 * The same customers for every twin shop (emails, names, codes, tags), awkward ones included
 * (invalid addresses, case variants): one reference run predicts every other shop's audience.
 */
export function twinCustomers(count: number, seed = 1): OfnCustomerInput[] {
  return generateCustomers(990_001, count, { seed, awkward: true });
}

export interface TwinOptions {
  provider: ProviderKind;
  customers: OfnCustomerInput[];
  settings?: Partial<{ sync: Partial<ShopSettings["sync"]>; campaigns: Partial<ShopSettings["campaigns"]> }>;
}

/** A configured shop (own OFN user, own provider account) holding the twin customers. */
export async function createTwinShop(world: World, options: TwinOptions): Promise<TestShop> {
  const shop = await createShop(world, { provider: options.provider, settings: options.settings });
  await world.t.deps.database.db
    .update(shopEnterprises)
    .set({ name: TWIN_ENTERPRISE })
    .where(eq(shopEnterprises.shopId, shop.shopId));
  world.ofn.addCustomers(shop.enterpriseIds[0]!, options.customers);
  return shop;
}

export type SyncRunRow = typeof syncRuns.$inferSelect;

/** Queues a sync and runs it as a worker would (claim, lease, execute, record the outcome). */
export async function syncNow(world: World, shop: TestShop): Promise<SyncRunRow> {
  const db = world.t.deps.database.db;
  const { run } = await enqueueSync(db, shop.shopId, "manual");
  const ran = await runSyncRunNow(world.t.deps.syncDeps, run.id, { owner: `fault-test-${uniqueId()}` });
  if (!ran) throw new Error(`run ${run.id} could not be claimed`);
  const done = await getSyncRun(db, run.id);
  if (!done) throw new Error(`run ${run.id} vanished`);
  return done;
}

export const audienceText = (world: World, shop: TestShop) => comparableAudience(audienceOf(world, shop));

/** The audience an uninterrupted, fault-free sync of the twin customers produces. */
export async function referenceAudience(world: World, options: TwinOptions): Promise<string> {
  const shop = await createTwinShop(world, options);
  const run = await syncNow(world, shop);
  if (run.status !== "succeeded") throw new Error(`reference run ${run.status}: ${run.errorMessage}`);
  return audienceText(world, shop);
}

/** The shop row and its provider connection, to check that a fault did not mark either broken. */
export async function connectionState(world: World, shop: TestShop) {
  const db = world.t.deps.database.db;
  const [row] = await db.select().from(shops).where(eq(shops.id, shop.shopId));
  const [connection] = await db
    .select()
    .from(providerConnections)
    .where(eq(providerConnections.shopId, shop.shopId));
  return { shop: row?.status, provider: connection?.status };
}

/**
 * A fetch for the OFN client that arms `rules` on the simulator just before the `at`-th request
 * whose path starts with `pathPrefix`, and gives every request a short timeout so a hanging
 * answer costs milliseconds, not OFN's 30 seconds.
 */
export function ofnFetchArming(
  world: World,
  plan: { pathPrefix: string; at: number; rules: Array<Omit<FaultRule, "pathPrefix">> },
  timeoutMs = 300,
): typeof fetch {
  let seen = 0;
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith(plan.pathPrefix)) {
      seen += 1;
      if (seen === plan.at) {
        for (const rule of plan.rules) world.ofn.controls.addFault({ ...rule, pathPrefix: plan.pathPrefix });
      }
    }
    const signal = init?.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, signal });
  };
}

/** Statuses the simulator answered on requests under `pathPrefix`, in order. */
export function statusesUnder(
  controls: { requests: Array<{ path: string; status: number }> },
  pathPrefix: string,
) {
  return controls.requests.filter((r) => r.path.startsWith(pathPrefix)).map((r) => r.status);
}
