import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts, shops, syncRuns } from "../../src/db/schema/index.js";
import { enqueueSync, getSyncRun } from "../../src/jobs/sync-queue.js";
import { runSyncRunNow } from "../../src/jobs/sync-worker.js";
import { generateCustomers } from "../../src/sandbox/seed.js";
import { saveProviderConnection } from "../../src/shops/connect.js";
import { executeSync, type SyncCounts } from "../../src/sync/run-sync.js";
import { audienceOf, comparableAudience, UNSUBSCRIBED, unsubscribe } from "../support/audience.js";
import { hex, uniqueId } from "../support/ids.js";
import { createShop, createWorld, type TestShop, type World } from "../support/world.js";

const PROVIDERS = ["mailchimp", "brevo"] as const;

describe.each(PROVIDERS)("customer sync into %s", (provider) => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.close());

  const deps = () => world.t.deps.syncDeps;
  async function sync(shop: TestShop) {
    const { run } = await enqueueSync(world.t.deps.database.db, shop.shopId, "manual");
    await runSyncRunNow(deps(), run.id, { owner: `test-${uniqueId()}` });
    return (await getSyncRun(world.t.deps.database.db, run.id))!;
  }
  const counts = (run: { counts: unknown }) => run.counts as SyncCounts;
  it("writes new contacts once, then nothing when nothing changed", async () => {
    const shop = await createShop(world, { provider, enterprises: 2 });
    world.ofn.addCustomers(
      shop.enterpriseIds[0]!,
      generateCustomers(shop.enterpriseIds[0]!, 230, { awkward: true }),
    );
    world.ofn.addCustomers(shop.enterpriseIds[1]!, generateCustomers(shop.enterpriseIds[1]!, 120));
    const first = await sync(shop);
    expect(first.status).toBe("succeeded");
    const c = counts(first);
    expect(c.fetched).toBe(350);
    expect(c.invalid).toBeGreaterThan(0);
    expect(c.new + c.invalid + c.failed).toBe(350);
    expect((first.invalidEmails as unknown[]).length).toBe(c.invalid);
    const audience = audienceOf(world, shop);
    expect(audience.size).toBe(c.new);
    for (const email of audience.keys()) expect(email).toBe(email.trim().toLowerCase());
    // Non-marketing by default: nobody subscribed without the shop asserting consent.
    const expected = provider === "mailchimp" ? "transactional" : "not_in_list";
    expect(new Set([...audience.values()].map((a) => a.status))).toEqual(new Set([expected]));

    const before = provider === "mailchimp" ? world.mailchimp.account(shop.providerKey) : undefined;
    const batchesBefore = before?.batches.size ?? world.brevo.account(shop.providerKey).processes.size;
    const second = await sync(shop);
    // Permanent refusals (e.g. Brevo: the same phone on two contacts) are not retried either.
    expect(counts(second)).toMatchObject({ new: 0, updated: 0, unchanged: c.new + c.failed, fetched: 350 });
    const batchesAfter =
      provider === "mailchimp"
        ? world.mailchimp.account(shop.providerKey).batches.size
        : world.brevo.account(shop.providerKey).processes.size;
    expect(batchesAfter).toBe(batchesBefore);
  });

  it("writes a customer of two enterprises with both enterprises' data, also when part of it went out while OFN was still being read", async () => {
    const shop = await createShop(world, { provider, enterprises: 2 });
    const [a, b] = shop.enterpriseIds as [number, number];
    // Enough customers that chunks are written while OFN is read (Mailchimp); the shared customer
    // is among A's first and B's last, so its A-only version is likely out before B's arrives.
    const fromA = generateCustomers(a, 1_200);
    const fromB = generateCustomers(b, 700);
    const shared = fromA[0]!.email;
    fromB[699] = { ...fromB[699]!, email: shared, first_name: null, tags: ["bio"], code: "B-699" };
    world.ofn.addCustomers(a, fromA);
    world.ofn.addCustomers(b, fromB);
    const first = await sync(shop);
    // Brevo refuses a phone already on another contact (same generated phones in A and B).
    expect(counts(first)).toMatchObject({ fetched: 1_900, new: 1_899 - counts(first).failed });
    if (provider === "mailchimp") expect(counts(first).failed).toBe(0);
    const merged = audienceOf(world, shop).get(shared)!;
    const names = (await world.t.deps.database.db.execute(
      sql`select name from shop_enterprises where shop_id = ${shop.shopId} order by name`,
    )) as unknown as Array<{ name: string }> | { rows: Array<{ name: string }> };
    const enterpriseNames = (Array.isArray(names) ? names : names.rows).map((r) => r.name);
    const tags = merged.tags.map((tag) => tag.trim());
    for (const name of enterpriseNames) expect(tags).toContain(name);
    expect(tags.join(",")).toContain("bio");
    const firstName = provider === "mailchimp" ? "FNAME" : "FIRSTNAME";
    expect(merged.fields[firstName]).toBe(fromA[0]!.first_name);
    const [state] = await world.t.deps.database.db
      .select({ sources: contacts.sources })
      .from(contacts)
      .where(sql`${contacts.shopId} = ${shop.shopId} and ${contacts.email} = ${shared}`);
    expect(state?.sources).toBe(2);
    // Nothing changed: nothing is written, the shared customer included.
    expect(counts(await sync(shop))).toMatchObject({ new: 0, updated: 0, unchanged: 1_899 });
    expect(audienceOf(world, shop).get(shared)).toEqual(merged);
  });

  it("writes only what changed and never resubscribes anyone", async () => {
    const shop = await createShop(world, { provider, settings: { sync: { consent: "subscribed" } } });
    const enterprise = shop.enterpriseIds[0]!;
    const created = world.ofn.addCustomers(enterprise, generateCustomers(enterprise, 60));
    await sync(shop);
    const [left, changed] = [created[0]!, created[1]!];
    unsubscribe(world, shop, left.email);
    world.ofn.updateCustomer(left.id, { first_name: "Renamed" });
    world.ofn.updateCustomer(changed.id, { last_name: "Nouveau-Nom" });
    const run = await sync(shop);
    expect(counts(run)).toMatchObject({ new: 0, updated: 2, unchanged: 58 });
    const audience = audienceOf(world, shop);
    expect(audience.get(left.email)?.status).toBe(UNSUBSCRIBED[provider]);
    const lastName = provider === "mailchimp" ? "LNAME" : "LASTNAME";
    expect(audience.get(changed.email)?.fields[lastName]).toBe("Nouveau-Nom");
    if (provider === "brevo") {
      const account = world.brevo.account(shop.providerKey);
      expect(account.unblockedByApi).toEqual([]);
      expect(account.blacklistWrites).toEqual([]);
    }
  });

  it("keeps a contact who unsubscribes while a sync runs unsubscribed", async () => {
    const shop = await createShop(world, { provider, settings: { sync: { consent: "subscribed" } } });
    const enterprise = shop.enterpriseIds[0]!;
    const created = world.ofn.addCustomers(enterprise, generateCustomers(enterprise, 250));
    await sync(shop);
    for (const customer of created) world.ofn.updateCustomer(customer.id, { code: `NEW-${customer.id}` });
    const target = created[200]!.email;
    let unsubscribed = false;
    const result = await executeSync(deps(), shop.shopId, {
      onProgress: () => {
        if (!unsubscribed) {
          unsubscribed = true;
          unsubscribe(world, shop, target);
        }
      },
    });
    expect(unsubscribed).toBe(true);
    expect(result.counts.updated).toBe(250);
    expect(audienceOf(world, shop).get(target)?.status).toBe(UNSUBSCRIBED[provider]);
  });

  it("keeps customers gone from OFN by default, or takes the bridge's tags off them", async () => {
    for (const policy of ["keep", "remove_tag"] as const) {
      const shop = await createShop(world, { provider, settings: { sync: { goneCustomers: policy } } });
      const enterprise = shop.enterpriseIds[0]!;
      const created = world.ofn.addCustomers(enterprise, generateCustomers(enterprise, 10));
      await sync(shop);
      const gone = created[3]!;
      expect(audienceOf(world, shop).get(gone.email)?.tags.length).toBeGreaterThan(0);
      world.ofn.removeCustomer(gone.id);
      const run = await sync(shop);
      expect(counts(run).gone).toBe(1);
      const entry = audienceOf(world, shop).get(gone.email);
      expect(entry, policy).toBeDefined();
      if (policy === "keep") expect(entry?.tags.length).toBeGreaterThan(0);
      else expect(entry?.tags).toEqual([]);
      const [row] = await world.t.deps.database.db
        .select()
        .from(contacts)
        .where(sql`${contacts.shopId} = ${shop.shopId} and ${contacts.email} = ${gone.email}`);
      expect(row?.inOfn).toBe(false);
    }
  });

  it("refuses to read an empty OFN answer as everyone leaving", async () => {
    const shop = await createShop(world, { provider, settings: { sync: { goneCustomers: "remove_tag" } } });
    const enterprise = shop.enterpriseIds[0]!;
    const created = world.ofn.addCustomers(enterprise, generateCustomers(enterprise, 5));
    await sync(shop);
    const before = comparableAudience(audienceOf(world, shop));
    for (const customer of created) world.ofn.removeCustomer(customer.id);
    const run = await sync(shop);
    expect(run.status).toBe("failed");
    expect(run.errorMessage).toMatch(/no customers/);
    expect(comparableAudience(audienceOf(world, shop))).toBe(before);
  });

  it("marks the shop broken when OFN refuses the key, without retrying", async () => {
    const shop = await createShop(world, { provider });
    world.ofn.addCustomers(shop.enterpriseIds[0]!, generateCustomers(shop.enterpriseIds[0]!, 3));
    world.ofn.replaceApiKey(shop.ofnApiKey, hex(48));
    const run = await sync(shop);
    expect(run.status).toBe("failed");
    expect(run.errorCode).toBe("OFN_KEY_REFUSED");
    expect(run.errorMessage).toMatch(/Developer settings/);
    expect(run.errorMessage).not.toContain(shop.ofnApiKey);
    const [row] = await world.t.deps.database.db.select().from(shops).where(eq(shops.id, shop.shopId));
    expect(row?.status).toBe("broken");
  });

  it("ends an interrupted run with the same audience as an uninterrupted one", async () => {
    const shop = await createShop(world, {
      provider,
      enterprises: 2,
      settings: { sync: { consent: "subscribed" } },
    });
    world.ofn.addCustomers(
      shop.enterpriseIds[0]!,
      generateCustomers(shop.enterpriseIds[0]!, 700, { awkward: true }),
    );
    world.ofn.addCustomers(
      shop.enterpriseIds[1]!,
      generateCustomers(shop.enterpriseIds[1]!, 400, { awkward: true }),
    );
    const db = world.t.deps.database.db;
    // A worker dies once some contacts are written: its run stays "running" with a lease.
    const { run } = await enqueueSync(db, shop.shopId, "manual");
    await db
      .update(syncRuns)
      .set({ status: "running", leaseOwner: "dead-worker", leaseExpiresAt: new Date(Date.now() + 60_000) })
      .where(eq(syncRuns.id, run.id));
    let fetched = 0;
    await expect(
      executeSync(deps(), shop.shopId, {
        onProgress: (p) => {
          fetched = p.counts.fetched;
          if (p.done > p.counts.fetched && p.counts.new > 0) throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    expect(fetched).toBe(1100);
    const partial = audienceOf(world, shop).size;
    expect(partial).toBeGreaterThan(0);
    // Nothing takes it over while the lease holds; once it expires, another worker resumes it.
    expect(await runSyncRunNow(deps(), run.id, { owner: "other" })).toBe(false);
    await db
      .update(syncRuns)
      .set({ leaseExpiresAt: new Date(Date.now() - 1) })
      .where(eq(syncRuns.id, run.id));
    expect(await runSyncRunNow(deps(), run.id, { owner: "other" })).toBe(true);
    const resumed = (await getSyncRun(db, run.id))!;
    expect(resumed.status).toBe("succeeded");
    expect(resumed.attempts).toBe(1);
    const interrupted = comparableAudience(audienceOf(world, shop));

    // The same shop, uninterrupted, into a fresh account of the same provider.
    const fresh = await createShop(world, { provider });
    await saveProviderConnection({ db, keyring: world.t.deps.keyring }, shop.shopId, {
      provider,
      apiKey: fresh.providerKey,
      accountLabel: provider,
      audienceId: fresh.audienceId,
    });
    await db.delete(contacts).where(eq(contacts.shopId, shop.shopId));
    await sync(shop);
    expect(comparableAudience(audienceOf(world, { ...fresh }))).toBe(interrupted);
  });

  it("keeps one active run per shop", async () => {
    const shop = await createShop(world, { provider });
    const db = world.t.deps.database.db;
    const results = await Promise.all([1, 2, 3].map(() => enqueueSync(db, shop.shopId, "manual")));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
  });
});

describe("two shops at once", () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.close());

  it("writes each shop's contacts only into its own Mailchimp account", async () => {
    const [a, b] = await Promise.all([createShop(world), createShop(world)]);
    world.ofn.addCustomers(a!.enterpriseIds[0]!, generateCustomers(a!.enterpriseIds[0]!, 600, { seed: 1 }));
    world.ofn.addCustomers(b!.enterpriseIds[0]!, generateCustomers(b!.enterpriseIds[0]!, 600, { seed: 2 }));
    const deps = world.t.deps.syncDeps;
    const [ra, rb] = await Promise.all([executeSync(deps, a!.shopId), executeSync(deps, b!.shopId)]);
    expect(ra.counts.new).toBe(600);
    expect(rb.counts.new).toBe(600);
    const inA = [...audienceOf(world, a!).keys()];
    const inB = [...audienceOf(world, b!).keys()];
    expect(inA.every((email) => email.includes(`.e${a!.enterpriseIds[0]}@`))).toBe(true);
    expect(inB.every((email) => email.includes(`.e${b!.enterpriseIds[0]}@`))).toBe(true);
  });
});
