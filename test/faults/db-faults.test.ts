/**
 * The database failing under a running sync, in the real bridge process: a statement refused in
 * the middle of writing contact state (both databases), and on PostgreSQL every connection of the
 * bridge terminated by the server (pg_terminate_backend), several times. The process survives,
 * the run ends with a reason instead of hanging, and the next run leaves the uninterrupted audience.
 * The termination test exists only in the PostgreSQL run: PGlite has no server connection to cut.
 */
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comparableAudience } from "../support/audience.js";
import { usingPostgres } from "../support/db.js";
import {
  audienceIn,
  createProcessWorld,
  expireLeases,
  type ProcessShop,
  type ProcessWorld,
  waitFor,
} from "./process-world.js";
import { twinCustomers } from "./support.js";

const CUSTOMERS = twinCustomers(600, 31);

interface RunSummary {
  id: string;
  status: string;
  error: { code: string | null; message: string | null } | null;
}

describe("the database failing during a sync", () => {
  let world: ProcessWorld;
  let reference: ProcessShop;
  let refused: ProcessShop;
  let terminated: ProcessShop;
  let expected: string;

  beforeAll(async () => {
    world = await createProcessWorld({ latencyMs: 15 });
    const seed = { provider: "mailchimp" as const, customers: CUSTOMERS };
    [reference, refused, terminated] = (await world.addShops([seed, seed, seed])) as [
      ProcessShop,
      ProcessShop,
      ProcessShop,
    ];
    // The first contact-state row of one shop is refused once by the database, as a failing disk,
    // a lock timeout or a constraint would refuse it. A sequence counts outside the transaction,
    // so the refusal (which rolls the statement back) still happens only once.
    await world.withDb(async (db) => {
      await db.execute(sql`create sequence fault_contact_rows`);
      await db.execute(
        sql.raw(`create function fault_refuse_once() returns trigger language plpgsql as $$
        begin
          if new.shop_id = '${refused.shopId}' and nextval('fault_contact_rows') = 1 then
            raise exception 'injected fault: contact state refused';
          end if;
          return new;
        end $$`),
      );
      await db.execute(
        sql`create trigger fault_refuse_once before insert on contacts for each row execute function fault_refuse_once()`,
      );
      // For the termination test: one state write of that shop lingers, so a connection is
      // surely in the middle of a statement when the server cuts it.
      await db.execute(sql`create sequence fault_slow_rows`);
      await db.execute(
        sql.raw(`create function fault_slow_once() returns trigger language plpgsql as $$
        begin
          if new.shop_id = '${terminated.shopId}' and nextval('fault_slow_rows') = 1 then
            perform pg_sleep(3);
          end if;
          return new;
        end $$`),
      );
      await db.execute(
        sql`create trigger fault_slow_once before insert on contacts for each row execute function fault_slow_once()`,
      );
    });
    await world.start();
    const ref = await finished(reference, await sync(reference));
    if (ref.status !== "succeeded") throw new Error(`reference run ${ref.status}: ${ref.error?.message}`);
    expected = audience(reference);
  }, 120_000);
  afterAll(() => world?.close());

  /** A request caught by the cut answers 500 with the error shape; the next one reconnects. */
  const answers: number[] = [];
  const runsOf = async (shop: ProcessShop): Promise<RunSummary[]> => {
    const res = await world.api<{ items?: RunSummary[]; error?: { code: string } }>(
      `/api/v1/shops/${shop.shopId}/runs?limit=5`,
    );
    answers.push(res.status);
    if (res.status !== 200) expect(res.body.error?.code).toBe("INTERNAL");
    return res.body.items ?? [];
  };
  const sync = async (shop: ProcessShop) => {
    const { body } = await world.api<{ run: RunSummary }>(`/api/v1/shops/${shop.shopId}/sync`, {
      method: "POST",
    });
    return body.run.id;
  };
  const finished = (shop: ProcessShop, runId: string, timeoutMs = 30_000) =>
    waitFor(
      `run ${runId}`,
      async () => {
        const run = (await runsOf(shop)).find((r) => r.id === runId);
        return run && run.status !== "queued" && run.status !== "running" ? run : undefined;
      },
      timeoutMs,
    );
  const audience = (shop: ProcessShop) => comparableAudience(audienceIn(world, shop));

  it("fails a run whose state write is refused, with a generic reason, and the next run completes", async () => {
    const failed = await finished(refused, await sync(refused));
    expect(failed.status).toBe("failed");
    // The shop reads a reason without internals; the details are in the operator's log.
    expect(failed.error).toEqual({
      code: "INTERNAL",
      message: "Unexpected error; the operator can find details in the logs.",
    });
    // The operator's log names the database's reason, and carries no customer's data.
    const log = world.bridge().output();
    expect(log).toContain("injected fault: contact state refused");
    expect(log).not.toContain("@example.org");
    expect(world.running()).toBe(true);

    const next = await finished(refused, await sync(refused));
    expect(next.status).toBe("succeeded");
    expect(audience(refused)).toBe(expected);
  }, 60_000);

  if (usingPostgres()) {
    it("survives its connections being terminated mid-sync, ends the run, and the next run completes", async () => {
      const url = world.databaseUrl ?? "";
      expect(world.bridge().output()).toContain('"database":"postgres"');
      const databaseName = new URL(url).pathname.slice(1);
      // Our own superuser session, outside every pool the test or the bridge uses.
      const admin = postgres(url, {
        max: 1,
        onnotice: () => {},
        connection: { application_name: "fault-admin" },
      });
      try {
        const runId = await sync(terminated);
        await waitFor("the run to be under way", async () => {
          const run = (await runsOf(terminated)).find((r) => r.id === runId);
          return run?.status === "running" ? run : undefined;
        });
        // Wait for the lingering write, then cut every connection of the bridge, busy or idle.
        await waitFor("a state write in flight", async () => {
          const busy = await admin<{ pid: number }[]>`
            select pid from pg_stat_activity
            where datname = ${databaseName} and application_name = 'ofn-bridge' and state = 'active'
              and query ~* '^[[:space:]]*insert into "?contacts'`;
          return busy.length > 0 ? busy : undefined;
        });
        const pids = await admin<{ pid: number }[]>`
          select pid from pg_stat_activity where datname = ${databaseName} and application_name = 'ofn-bridge'`;
        let cut = 0;
        for (const { pid } of pids) {
          const [row] = await admin<{ done: boolean }[]>`select pg_terminate_backend(${pid}) as done`;
          if (row?.done) cut += 1;
        }
        expect(cut).toBeGreaterThan(0);
        // The process lives on and reconnects.
        await waitFor("the bridge to answer again", async () => {
          const res = await fetch(`${world.bridge().url}/readyz`);
          return res.status === 200 ? true : undefined;
        });
        expect(world.running()).toBe(true);
        // The run ends with a reason. When the cut also took the statement recording its end, the
        // row keeps its lease; once that runs out (skipped here, as after a kill) a worker takes
        // the run over and finishes it.
        let ended = await finished(terminated, runId, 3_000).catch(() => undefined);
        if (!ended) {
          await world.withDb(expireLeases);
          ended = await finished(terminated, runId, 20_000);
        }
        if (ended.status === "failed") {
          expect(ended.error).toEqual({
            code: "INTERNAL",
            message: "Unexpected error; the operator can find details in the logs.",
          });
          // Checked only once the run has ended: the worker logs the cause when it records the failure.
          expect(world.bridge().output()).toMatch(/57P01|CONNECTION_(CLOSED|ENDED|DESTROYED)|ECONNRESET/);
        }
        const next =
          ended.status === "succeeded" ? ended : await finished(terminated, await sync(terminated));
        expect(next.status).toBe("succeeded");
        expect(audience(terminated)).toBe(expected);
        // Requests caught by the cut answered 500 with the error shape; none hung or crashed.
        expect(answers.every((status) => status === 200 || status === 500)).toBe(true);
        expect(world.bridge().output()).not.toMatch(/uncaught|unhandled/i);
      } finally {
        await admin.end({ timeout: 5 });
      }
    }, 60_000);
  }
});
