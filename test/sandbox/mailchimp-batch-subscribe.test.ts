import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningMailchimpSimulator,
  startMailchimpSimulator,
  subscriberHash,
} from "../../src/sandbox/mailchimp.js";
import { expectContract, newKey, sdkClient, sdkFailure, seedShop } from "./mailchimp-sdk.js";

let running: RunningMailchimpSimulator;
beforeAll(async () => {
  running = await startMailchimpSimulator();
});
afterAll(async () => {
  await running.close();
});

const shop = (opts?: Parameters<typeof seedShop>[2]) => seedShop(running.sim, running.basePath, opts);

describe("batch subscribe", () => {
  it("answers 200 with per-member errors and leaves existing members untouched", async () => {
    const { client, key, listId } = shop();
    running.sim.addMember(key, listId, {
      email: "old@farm.org",
      status: "unsubscribed",
      mergeFields: { FNAME: "Old" },
    });
    running.sim.addMember(key, listId, { email: "erased@farm.org", status: "subscribed" });
    running.sim.forgetMember(key, listId, "erased@farm.org");
    const result = await client.lists.batchListMembers(listId, {
      members: [
        { email_address: "fresh@farm.org", status: "subscribed", merge_fields: { FNAME: "Fresh" } },
        { email_address: "old@farm.org", status: "subscribed", merge_fields: { FNAME: "Changed" } },
        { email_address: "nobody@nowhere.test", status: "subscribed" },
        { email_address: "nostatus@farm.org" },
        { email_address: "erased@farm.org", status: "transactional" },
      ],
      update_existing: false,
    });
    expectContract("POST", "/lists/{listId}", 200, result);
    expect(result.total_created).toBe(1);
    expect(result.error_count).toBe(4);
    const codes = Object.fromEntries(
      result.errors.map((e: { email_address: string; error_code: string }) => [
        e.email_address,
        e.error_code,
      ]),
    );
    expect(codes).toEqual({
      "old@farm.org": "ERROR_CONTACT_EXISTS",
      "nobody@nowhere.test": "ERROR_GENERIC",
      "nostatus@farm.org": "ERROR_GENERIC",
      "erased@farm.org": "ERROR_GENERIC",
    });
    const old = running.sim.member(key, listId, "old@farm.org");
    expect([old?.status, old?.mergeFields.FNAME]).toEqual(["unsubscribed", "Old"]);
  });

  it("with update_existing updates merge fields but refuses compliance-state subscribes", async () => {
    const { client, key, listId } = shop();
    running.sim.addMember(key, listId, { email: "out@farm.org", status: "unsubscribed" });
    running.sim.addMember(key, listId, { email: "in@farm.org", status: "transactional" });
    const result = await client.lists.batchListMembers(listId, {
      members: [
        { email_address: "out@farm.org", status: "subscribed" },
        { email_address: "in@farm.org", merge_fields: { LNAME: "Updated" } },
      ],
      update_existing: true,
    });
    expect(result.total_updated).toBe(1);
    expect(result.errors[0].error).toContain("compliance state");
    expect(running.sim.member(key, listId, "out@farm.org")?.status).toBe("unsubscribed");
    expect(running.sim.member(key, listId, "in@farm.org")?.mergeFields.LNAME).toBe("Updated");
  });

  it("reports duplicates unless skip_duplicate_check keeps the first", async () => {
    const { client, key, listId } = shop();
    const members = [
      { email_address: "dup@farm.org", status: "transactional" },
      { email_address: "DUP@farm.org", status: "subscribed" },
    ];
    const strict = await client.lists.batchListMembers(listId, { members });
    expect([strict.total_created, strict.error_count]).toEqual([0, 2]);
    const lenient = await client.lists.batchListMembers(listId, { members }, { skipDuplicateCheck: true });
    expect([lenient.total_created, lenient.error_count]).toEqual([1, 0]);
    expect(running.sim.member(key, listId, "dup@farm.org")?.status).toBe("transactional");
  });

  it("refuses more than 500 members and honours ?fields=", async () => {
    const { client, key, listId } = shop();
    const members = Array.from({ length: 501 }, (_, i) => ({
      email_address: `b${i}@farm.org`,
      status: "subscribed",
    }));
    const failure = await sdkFailure(client.lists.batchListMembers(listId, { members }));
    expect([failure.status, failure.body.title]).toEqual([400, "Invalid Resource"]);
    expectContract("POST", "/lists/{listId}", 400, failure.body);
    const res = await fetch(`${running.basePath}/lists/${listId}?fields=total_created,error_count`, {
      method: "POST",
      headers: { authorization: `apikey ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ members: members.slice(0, 500) }),
    });
    expect(await res.json()).toEqual({ total_created: 500, error_count: 0 });
  });
});

describe("connection limit", () => {
  it("answers 429 beyond 10 simultaneous requests per key, without Retry-After", async () => {
    const { client, key } = shop();
    const other = shop();
    running.sim.controls.latencyMs = 300;
    try {
      const calls = Array.from({ length: 12 }, () =>
        client.ping.get().then(
          () => 200,
          (e) => e,
        ),
      );
      const otherCall = other.client.ping.get();
      const outcomes = await Promise.all(calls);
      await otherCall;
      const refused = outcomes.filter((o) => o !== 200) as Array<{
        status: number;
        response: { body: { title: string }; headers: Record<string, string> };
      }>;
      // Twelve calls arrive within the 300 ms of latency, so the last ones find ten slots taken.
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((r) => r.status === 429)).toBe(true);
      expect(refused[0]?.response.body.title).toBe("Too Many Requests");
      expectContract("GET", "/ping", 429, refused[0]?.response.body);
      expect(refused[0]?.response.headers["retry-after"]).toBeUndefined();
      expect(running.sim.account(key).peakInFlight).toBe(10);
    } finally {
      running.sim.controls.latencyMs = 0;
    }
  });
});

describe("tags and segments", () => {
  it("tags members, bulk-tags by email and lists segment members", async () => {
    const { client, key, listId } = shop();
    for (const email of ["t1@farm.org", "t2@farm.org", "t3@farm.org"]) {
      running.sim.addMember(key, listId, { email, status: "subscribed" });
    }
    await client.lists.updateListMemberTags(listId, subscriberHash("t1@farm.org"), {
      tags: [{ name: "OFN customers", status: "active" }],
      is_syncing: true,
    });
    const tags = await client.lists.getListMemberTags(listId, subscriberHash("t1@farm.org"));
    expect(tags.tags.map((t: { name: string }) => t.name)).toEqual(["OFN customers"]);
    expectContract("GET", "/lists/{listId}/members/{subscriberHash}/tags", 200, tags);

    const segment = await client.lists.createSegment(listId, { name: "Veg box", static_segment: [] });
    expectContract("POST", "/lists/{listId}/segments", 200, segment);
    const batch = await client.lists.batchSegmentMembers(
      { members_to_add: ["t2@farm.org", "T3@farm.org", "stranger@farm.org"] },
      listId,
      segment.id,
    );
    expect([batch.total_added, batch.error_count]).toEqual([2, 1]);
    expectContract("POST", "/lists/{listId}/segments/{segmentId}", 200, batch);
    const inside = await client.lists.getSegmentMembersList(listId, segment.id);
    expect(inside.total_items).toBe(2);
    expect(running.sim.memberTags(key, listId, "t3@farm.org")).toEqual(["Veg box"]);
    await client.lists.updateListMemberTags(listId, subscriberHash("t1@farm.org"), {
      tags: [{ name: "ofn CUSTOMERS", status: "inactive" }],
    });
    expect(running.sim.memberTags(key, listId, "t1@farm.org")).toEqual([]);
  });
});

describe("accounts", () => {
  it("keeps accounts isolated, even with the same list id", async () => {
    const a = newKey();
    const b = newKey();
    running.sim.addAccount({ apiKey: a, label: "iso-a" });
    running.sim.addAccount({ apiKey: b, label: "iso-b" });
    running.sim.addList(a, { id: "samelist01", name: "A" });
    running.sim.addList(b, { id: "samelist01", name: "B" });
    await sdkClient(running.basePath, a).lists.addListMember("samelist01", {
      email_address: "only-a@farm.org",
      status: "subscribed",
    });
    const seenByB = await sdkClient(running.basePath, b).lists.getListMembersInfo("samelist01");
    expect(seenByB.total_items).toBe(0);
    const accounts = (await (await fetch(`${running.url}/__sandbox/accounts`)).json()) as {
      accounts: Array<{ label: string; key: string }>;
    };
    const iso = accounts.accounts.find((x) => x.label === "iso-a");
    expect(iso?.key).toBe(`…${a.slice(-4)}`);
    expect(JSON.stringify(accounts)).not.toContain(a);
    expect(running.sim.controls.countRequests({ account: "iso-a", method: "POST" })).toBe(1);
  });
});
