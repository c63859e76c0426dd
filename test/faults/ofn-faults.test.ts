/**
 * OFN failing in the middle of paging a shop's customers: 500, 504 without a body, a request that
 * never answers, again and again. Short failures are absorbed and the audience ends exactly as a
 * fault-free run leaves it; a longer outage fails the run with a reason the shop can read, writes
 * nothing from the partial read, marks nothing broken, and the next run completes the job.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SyncCounts } from "../../src/sync/run-sync.js";
import type { TestShop, World } from "../support/world.js";
import { createWorld } from "../support/world.js";
import {
  audienceText,
  connectionState,
  createTwinShop,
  ofnFetchArming,
  referenceAudience,
  statusesUnder,
  syncNow,
  twinCustomers,
} from "./support.js";

// 250 customers: three OFN pages of at most 100, one provider write chunk.
const CUSTOMERS = twinCustomers(250, 8);
const customersPath = (shop: TestShop) => `/api/v1/enterprises/${shop.enterpriseIds[0]}/customers`;

describe("OFN failing in the middle of paging", () => {
  let world: World;
  let reference: string;
  beforeAll(async () => {
    world = await createWorld();
    reference = await referenceAudience(world, { provider: "mailchimp", customers: CUSTOMERS });
  });
  afterAll(async () => {
    world.t.deps.syncDeps.ofnFetch = undefined;
    await world.close();
  });

  it("retries a 500, a hang, a 504 and another 500 after the first page, and ends with the reference audience", async () => {
    const shop = await createTwinShop(world, { provider: "mailchimp", customers: CUSTOMERS });
    world.ofn.controls.requests = [];
    world.t.deps.syncDeps.ofnFetch = ofnFetchArming(world, {
      pathPrefix: customersPath(shop),
      at: 2,
      rules: [
        { status: 500, remaining: 1 },
        { hang: true, remaining: 1 },
        { status: 504, body: null, remaining: 1 },
        { status: 500, body: { error: "boom" }, remaining: 1 },
      ],
    });
    try {
      const run = await syncNow(world, shop);
      expect(run.status, run.errorMessage ?? "").toBe("succeeded");
      expect((run.counts as SyncCounts).fetched).toBe(CUSTOMERS.length);
    } finally {
      world.t.deps.syncDeps.ofnFetch = undefined;
    }
    // Every fault was met (the hang shows as status 0), none is left over.
    const statuses = statusesUnder(world.ofn.controls, customersPath(shop));
    expect(statuses).toEqual([200, 500, 0, 504, 500, 200, 200]);
    expect(world.ofn.controls.faults).toEqual([]);
    expect(audienceText(world, shop)).toBe(reference);
  });

  it("fails a run on an outage longer than the retries, says so, changes nothing, and the next run completes", async () => {
    const shop = await createTwinShop(world, { provider: "mailchimp", customers: CUSTOMERS });
    world.t.deps.syncDeps.ofnFetch = ofnFetchArming(world, {
      pathPrefix: customersPath(shop),
      at: 3,
      rules: [{ status: 502, body: null, remaining: 1_000 }],
    });
    try {
      const failed = await syncNow(world, shop);
      expect(failed.status).toBe("failed");
      expect(failed.errorCode).toBe("OFN_UNAVAILABLE");
      expect(failed.errorMessage).toBe("OFN is unavailable right now (HTTP 502).");
    } finally {
      world.ofn.controls.faults = [];
      world.t.deps.syncDeps.ofnFetch = undefined;
    }
    // Nothing was written from a partial read, and an outage is not a refused key.
    expect(audienceText(world, shop)).toBe("[]");
    expect(await connectionState(world, shop)).toEqual({ shop: "active", provider: "ok" });
    const next = await syncNow(world, shop);
    expect(next.status).toBe("succeeded");
    expect(audienceText(world, shop)).toBe(reference);
  });

  it("gives up on an OFN that never answers with 'did not answer in time', then completes next time", async () => {
    const shop = await createTwinShop(world, { provider: "mailchimp", customers: CUSTOMERS });
    world.t.deps.syncDeps.ofnFetch = ofnFetchArming(world, {
      pathPrefix: customersPath(shop),
      at: 2,
      rules: [{ hang: true, remaining: 1_000 }],
    });
    try {
      const failed = await syncNow(world, shop);
      expect(failed.status).toBe("failed");
      expect(failed.errorMessage).toBe("OFN did not answer in time.");
    } finally {
      world.ofn.controls.faults = [];
      world.ofn.controls.releaseHanging();
      world.t.deps.syncDeps.ofnFetch = undefined;
    }
    expect(await connectionState(world, shop)).toEqual({ shop: "active", provider: "ok" });
    expect((await syncNow(world, shop)).status).toBe("succeeded");
    expect(audienceText(world, shop)).toBe(reference);
  });
});
