/**
 * The real bridge process killed with SIGKILL at random moments of customer syncs, 20 times, then
 * started again: every interrupted sync completes and leaves exactly the audience an
 * uninterrupted run leaves (DESIGN.md invariant 3), in Mailchimp and in Brevo.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { comparableAudience } from "../support/audience.js";
import {
  audienceIn,
  createProcessWorld,
  expireLeases,
  type ProcessShop,
  type ProcessWorld,
  seededRandom,
  waitFor,
} from "./process-world.js";
import { twinCustomers } from "./support.js";

const TRIALS = 20;
// Mailchimp: 600 customers = 6 OFN pages and two /batches chunks written in parallel; Brevo: one import.
const CUSTOMERS = { mailchimp: twinCustomers(600, 21), brevo: twinCustomers(300, 22) } as const;
const SEED = Date.now() % 1_000_000;

interface RunSummary {
  id: string;
  status: string;
  queuedAt: string;
  finishedAt: string | null;
  error: { code: string | null; message: string | null } | null;
}

describe("SIGKILL during syncs", () => {
  let world: ProcessWorld;
  const pairs: Array<{ mailchimp: ProcessShop; brevo: ProcessShop }> = [];
  let references: { mailchimp: ProcessShop; brevo: ProcessShop };

  beforeAll(async () => {
    world = await createProcessWorld({ latencyMs: 2 });
    const seed = (provider: "mailchimp" | "brevo") => ({
      provider,
      customers: CUSTOMERS[provider],
      settings: { sync: { consent: "subscribed" as const } },
    });
    const shops = await world.addShops(
      Array.from({ length: TRIALS + 1 }, () => [seed("mailchimp"), seed("brevo")]).flat(),
    );
    references = { mailchimp: shops[0]!, brevo: shops[1]! };
    for (let i = 1; i <= TRIALS; i++) pairs.push({ mailchimp: shops[2 * i]!, brevo: shops[2 * i + 1]! });
    await world.start();
  }, 120_000);
  afterAll(() => world?.close());

  const runsOf = async (shop: ProcessShop) =>
    (await world.api<{ items: RunSummary[] }>(`/api/v1/shops/${shop.shopId}/runs?limit=5`)).body.items;
  const requestSync = (shop: ProcessShop) =>
    world.api<{ run: RunSummary }>(`/api/v1/shops/${shop.shopId}/sync`, { method: "POST" });
  const finished = (shop: ProcessShop, runId?: string) =>
    waitFor(`sync of ${shop.shopId}`, async () => {
      const [latest] = await runsOf(shop);
      if (!latest || (runId && latest.id !== runId)) return undefined;
      return latest.status === "queued" || latest.status === "running" ? undefined : latest;
    });
  const audience = (shop: ProcessShop) => comparableAudience(audienceIn(world, shop));

  it(`completes every interrupted sync with the uninterrupted audience (${TRIALS} kills, seed ${SEED})`, async () => {
    // The references: uninterrupted runs of the same customers, also timing the kill window.
    const window: Record<string, number> = {};
    const expected: Record<string, string> = {};
    for (const provider of ["mailchimp", "brevo"] as const) {
      const started = Date.now();
      const { body } = await requestSync(references[provider]);
      const run = await finished(references[provider], body.run.id);
      expect(run.status, run.error?.message ?? "").toBe("succeeded");
      window[provider] = Date.now() - started;
      expected[provider] = audience(references[provider]);
      expect(audienceIn(world, references[provider]).size).toBeGreaterThan(200);
    }
    const longest = Math.max(window.mailchimp!, window.brevo!);

    const random = seededRandom(SEED);
    const killedWhile: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const pair = pairs[trial]!;
      const label = `trial ${trial} (seed ${SEED})`;
      // Both syncs asked for at once, the process killed somewhere from before the first request
      // is committed to after both are done.
      const asked = [requestSync(pair.mailchimp), requestSync(pair.brevo)].map((p) =>
        p.catch(() => undefined),
      );
      await new Promise((resolve) => setTimeout(resolve, random() * longest * 0.8));
      await world.kill();
      await Promise.all(asked);

      // What the kill interrupted, then the leases of the dead process let go (one database session).
      const atKill = await world.withDb(async (db) => {
        const rows = await queryRows<{ shop_id: string; status: string; progress_done: number }>(
          db,
          sql`select shop_id, status, progress_done from sync_runs
              where shop_id in (${pair.mailchimp.shopId}::uuid, ${pair.brevo.shopId}::uuid)`,
        );
        await expireLeases(db);
        return rows;
      });
      for (const provider of ["mailchimp", "brevo"] as const) {
        const row = atKill.find((r) => r.shop_id === pair[provider].shopId);
        const written = audienceIn(world, pair[provider]).size;
        killedWhile.push(
          `${provider}:${row ? `${row.status}${row.progress_done > 0 ? "+progress" : ""}` : "none"}:${written > 0 ? "written" : "empty"}`,
        );
      }
      await world.start();

      for (const provider of ["mailchimp", "brevo"] as const) {
        const shop = pair[provider];
        let [latest] = await runsOf(shop);
        // Killed before the request was committed: nothing to resume, the shop asks again.
        if (!latest) latest = (await requestSync(shop)).body.run;
        const done = await finished(shop, latest.id);
        expect(done.status, `${label} ${provider}: ${done.error?.message}`).toBe("succeeded");
        expect(audience(shop), `${label} ${provider}`).toBe(expected[provider]);
      }
    }
    // The kills must have landed inside running syncs, not only before or after them.
    const inside = killedWhile.filter((state) => state.includes(":running"));
    expect(inside.length, killedWhile.join(", ")).toBeGreaterThanOrEqual(8);
    console.info(`kill-sync (${world.kind}, seed ${SEED}): ${summarise(killedWhile)}`);
  }, 240_000);
});

function summarise(states: string[]): string {
  const counts = new Map<string, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${state}=${n}`).join(" ");
}
