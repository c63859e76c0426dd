/**
 * The campaign queue's statements are built once per database handle and reused with other values
 * (src/db/prepared.ts): each shape of step write must still write exactly its own values — dates,
 * JSON, nulls — only while the lease is held, and never run outside a caller's transaction.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns, shops } from "../../src/db/schema/index.js";
import { claimCampaign, recordStep } from "../../src/jobs/campaign-queue.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

const LEASE_MS = 60_000;

describe("campaign queue statements", () => {
  let database: TestDatabase;
  let shopId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    shopId = randomUUID();
    await database.db.insert(shops).values({
      id: shopId,
      ofnInstance: "https://ofn.example",
      ofnKeyLookup: `queue-${shopId}`,
      ofnApiKeySealed: "sealed",
      ofnApiKeyLast4: "aaaa",
    });
  });
  afterAll(() => database?.close());

  const addCampaign = async (orderCycleId: number) => {
    const [row] = await database.db
      .insert(campaigns)
      .values({ shopId, orderCycleId, openedAt: new Date(), orderCycle: { id: orderCycleId } })
      .returning({ id: campaigns.id });
    return row!.id;
  };
  const read = async (id: string) =>
    (await database.db.select().from(campaigns).where(eq(campaigns.id, id)))[0]!;

  it("claims the named campaign or the first due, each with its own owner and lease", async () => {
    const first = await addCampaign(1);
    const second = await addCampaign(2);
    const named = await claimCampaign(database.db, "worker-b", LEASE_MS, second);
    expect(named?.id).toBe(second);
    expect(named?.leaseOwner).toBe("worker-b");
    const due = await claimCampaign(database.db, "worker-a", 30_000);
    expect(due?.id).toBe(first);
    expect(due?.leaseOwner).toBe("worker-a");
    const leaseSeconds = (due!.leaseExpiresAt!.getTime() - Date.now()) / 1000;
    expect(leaseSeconds).toBeGreaterThan(20);
    expect(leaseSeconds).toBeLessThan(31);
    // Both leased now: nothing else is runnable, whether named or not.
    expect(await claimCampaign(database.db, "worker-c", LEASE_MS)).toBeUndefined();
    expect(await claimCampaign(database.db, "worker-c", LEASE_MS, first)).toBeUndefined();
  });

  it("writes each patch shape's own values, nulls included, and nothing without the lease", async () => {
    const a = await addCampaign(3);
    const b = await addCampaign(4);
    await claimCampaign(database.db, "owner-a", LEASE_MS, a);
    await claimCampaign(database.db, "owner-b", LEASE_MS, b);

    const sentAt = new Date("2026-03-02T08:00:12.000Z");
    const patch = { status: "sent", sentAt, details: { steps: ["create", "send"] }, errorCode: null };
    expect(await recordStep(database.db, a, "owner-a", LEASE_MS, patch)).toBe(true);
    // The same shape again, other values: the statement built for `a` writes `b`'s.
    const later = new Date("2026-03-03T10:30:00.000Z");
    const other = { status: "scheduled", sentAt: later, details: { n: 2 }, errorCode: null };
    expect(await recordStep(database.db, b, "owner-b", LEASE_MS, other, { redoable: true })).toBe(true);
    // Another shape: a null where a date was, a text where a null was.
    expect(
      await recordStep(database.db, a, "owner-a", LEASE_MS, {
        sentAt: null,
        errorCode: "X",
        errorMessage: "why",
      }),
    ).toBe(true);
    // Not the lease owner: nothing written.
    expect(await recordStep(database.db, b, "owner-a", LEASE_MS, { status: "failed" })).toBe(false);

    const rowA = await read(a);
    expect(rowA).toMatchObject({ status: "sent", sentAt: null, errorCode: "X", errorMessage: "why" });
    expect(rowA.details).toEqual({ steps: ["create", "send"] });
    const rowB = await read(b);
    expect(rowB).toMatchObject({ status: "scheduled", errorCode: null });
    expect(rowB.sentAt?.toISOString()).toBe(later.toISOString());
    expect(rowB.details).toEqual({ n: 2 });
  });

  it("runs a step write inside the caller's transaction when given one", async () => {
    const id = await addCampaign(5);
    await claimCampaign(database.db, "owner-t", LEASE_MS, id);
    await recordStep(database.db, id, "owner-t", LEASE_MS, { status: "created" });
    await database.db
      .transaction(async (tx) => {
        expect(await recordStep(tx, id, "owner-t", LEASE_MS, { status: "content_set" })).toBe(true);
        throw new Error("roll back");
      })
      .catch((error: Error) => expect(error.message).toBe("roll back"));
    expect((await read(id)).status).toBe("created");
  });
});
