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
const MEMBER = "/lists/{listId}/members/{subscriberHash}";

describe("authentication", () => {
  it("answers ping and the root for a known key", async () => {
    const { client } = shop();
    const pong = await client.ping.get();
    expect(pong).toEqual({ health_status: "Everything's Chimpy!" });
    expectContract("GET", "/ping", 200, pong);
    const root = await client.root.getRoot();
    expect(root.account_name).toBe("Sandbox Shop");
    expectContract("GET", "/", 200, root);
  });

  it("refuses an unknown key with 401 API Key Invalid", async () => {
    const failure = await sdkFailure(sdkClient(running.basePath, newKey()).ping.get());
    expect(failure.status).toBe(401);
    expect(failure.body.title).toBe("API Key Invalid");
    expect(failure.headers["content-type"]).toContain("application/problem+json");
    expectContract("GET", "/ping", 401, failure.body);
  });

  it("names the key's datacenter when the suffix is wrong", async () => {
    const { key } = shop();
    const failure = await sdkFailure(sdkClient(running.basePath, key.replace(/-us21$/, "-us3")).ping.get());
    expect(failure.status).toBe(403);
    expect(failure.body.detail).toBe("The API key provided is linked to datacenter 'us21'");
  });

  it("answers 404 for unknown ids and 405 for unsupported methods", async () => {
    const { client, key } = shop();
    const missing = await sdkFailure(client.lists.getList("nosuchlist"));
    expect([missing.status, missing.body.title]).toEqual([404, "Resource Not Found"]);
    const res = await fetch(`${running.basePath}/ping`, {
      method: "DELETE",
      headers: { authorization: `apikey ${key}` },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
  });
});

describe("members", () => {
  it("PUT with status_if_new creates new members and leaves an unsubscribed one alone", async () => {
    const { client, key, listId } = shop();
    running.sim.addMember(key, listId, { email: "gone@farm.org", status: "subscribed" });
    running.sim.setMemberStatus(key, listId, "gone@farm.org", "unsubscribed");
    const kept = await client.lists.setListMember(listId, subscriberHash("GONE@farm.org "), {
      email_address: "gone@farm.org",
      status_if_new: "subscribed",
      merge_fields: { FNAME: "Gwen" },
    });
    expect(kept.status).toBe("unsubscribed");
    expect(kept.merge_fields.FNAME).toBe("Gwen");
    expectContract("PUT", MEMBER, 200, kept);

    const created = await client.lists.setListMember(listId, subscriberHash("new@farm.org"), {
      email_address: "new@farm.org",
      status_if_new: "transactional",
    });
    expect(created.status).toBe("transactional");
    expect(created.id).toBe(subscriberHash("new@farm.org"));
    expectContract("GET", MEMBER, 200, await client.lists.getListMember(listId, "new@farm.org"));

    const noStatus = await sdkFailure(
      client.lists.setListMember(listId, "x@farm.org", { email_address: "x@farm.org" }),
    );
    expect(noStatus.body.errors).toEqual([
      { field: "status_if_new", message: "This value should not be blank." },
    ]);
  });

  it("refuses to subscribe unsubscribed or cleaned members (compliance state)", async () => {
    const { client, key, listId } = shop();
    running.sim.addMember(key, listId, { email: "out@farm.org", status: "unsubscribed" });
    running.sim.addMember(key, listId, { email: "bounced@farm.org", status: "cleaned" });
    const out = await sdkFailure(
      client.lists.setListMember(listId, subscriberHash("out@farm.org"), {
        email_address: "out@farm.org",
        status: "subscribed",
      }),
    );
    expect([out.status, out.body.title]).toEqual([400, "Member In Compliance State"]);
    expectContract("PUT", MEMBER, 400, out.body);
    const bounced = await sdkFailure(
      client.lists.updateListMember(listId, "bounced@farm.org", { status: "pending" }),
    );
    expect(bounced.body.title).toBe("Member In Compliance State");
    expect(running.sim.member(key, listId, "out@farm.org")?.status).toBe("unsubscribed");
    // Double opt-in is the compliant way back for an unsubscribed contact.
    const pending = await client.lists.updateListMember(listId, "out@farm.org", { status: "pending" });
    expect(pending.status).toBe("pending");
  });

  it("never re-imports a permanently deleted address", async () => {
    const { client, key, listId } = shop();
    running.sim.addMember(key, listId, { email: "erase@farm.org", status: "subscribed" });
    await client.lists.deleteListMemberPermanent(listId, subscriberHash("erase@farm.org"));
    const failure = await sdkFailure(
      client.lists.setListMember(listId, subscriberHash("erase@farm.org"), {
        email_address: "erase@farm.org",
        status_if_new: "subscribed",
      }),
    );
    expect([failure.status, failure.body.title]).toEqual([400, "Forgotten Email Not Subscribed"]);
  });

  it("POST on an existing member and PUT renaming onto one are Member Exists", async () => {
    const { client, key, listId } = shop();
    running.sim.addMember(key, listId, { email: "a@farm.org", status: "subscribed" });
    running.sim.addMember(key, listId, { email: "b@farm.org", status: "subscribed" });
    const post = await sdkFailure(
      client.lists.addListMember(listId, { email_address: "A@farm.org", status: "subscribed" }),
    );
    expect([post.status, post.body.title]).toEqual([400, "Member Exists"]);
    const put = await sdkFailure(
      client.lists.setListMember(listId, subscriberHash("a@farm.org"), {
        email_address: "b@farm.org",
        status_if_new: "subscribed",
      }),
    );
    expect(put.body.title).toBe("Member Exists");
    // Archiving (DELETE) is reversible: the address may be added again.
    await client.lists.deleteListMember(listId, subscriberHash("a@farm.org"));
    const back = await client.lists.addListMember(listId, {
      email_address: "a@farm.org",
      status: "transactional",
    });
    expect(back.status).toBe("transactional");
  });

  it("rejects fake-looking addresses and invalid merge fields", async () => {
    const { client, listId } = shop();
    const add = (body: Record<string, unknown>, opts?: Record<string, unknown>) =>
      sdkFailure(client.lists.addListMember(listId, { status: "subscribed", ...body }, opts));
    const fake = await add({ email_address: "deleted@site.invalid" });
    expect(fake.body.title).toBe("Invalid Resource");
    expect(fake.body.detail).toContain("looks fake or invalid, please enter a real email address.");
    const nulls = await add({ email_address: "n@farm.org", merge_fields: { FNAME: null } });
    expect(nulls.body.errors).toEqual([
      { field: "merge_fields.FNAME", message: "Data did not match any of the schemas described in anyOf." },
    ]);
    const address = await add({
      email_address: "n@farm.org",
      merge_fields: { ADDRESS: { addr1: "1 Lane" } },
    });
    expect(address.body.errors).toEqual([{ field: "ADDRESS", message: "Please enter a complete address" }]);
    const unknown = await add({ email_address: "n@farm.org", merge_fields: { SHOESIZE: "9" } });
    expect(unknown.body.detail).toBe("Your merge fields were invalid.");
    const skipped = await client.lists.addListMember(
      listId,
      { email_address: "n@farm.org", status: "subscribed", merge_fields: { SHOESIZE: "9", ADDRESS: "" } },
      { skipMergeValidation: true },
    );
    expect(skipped.merge_fields).toEqual({ FNAME: "", LNAME: "", ADDRESS: "", PHONE: "" });
  });

  it("enforces required merge fields and validates new ones", async () => {
    const { client, listId } = shop();
    const created = await client.lists.addListMergeField(listId, {
      name: "Shop",
      tag: "SHOP",
      type: "text",
      required: true,
    });
    expectContract("POST", "/lists/{listId}/merge-fields", 200, created);
    const tooLong = await sdkFailure(
      client.lists.addListMergeField(listId, { name: "x", tag: "WAYTOOLONGTAG", type: "text" }),
    );
    expect(tooLong.body.title).toBe("Invalid Resource");
    const missing = await sdkFailure(
      client.lists.addListMember(listId, { email_address: "r@farm.org", status: "subscribed" }),
    );
    expect(missing.body.errors).toEqual([{ field: "SHOP", message: "Please enter a value" }]);
    const fields = await client.lists.getListMergeFields(listId);
    expect(fields.merge_fields.map((f: { tag: string }) => f.tag)).toEqual([
      "FNAME",
      "LNAME",
      "ADDRESS",
      "PHONE",
      "SHOP",
    ]);
  });

  it("pages members with count, offset and a status filter", async () => {
    const { client, key, listId } = shop();
    for (let i = 0; i < 25; i += 1) {
      running.sim.addMember(key, listId, {
        email: `m${i}@farm.org`,
        status: i % 5 === 0 ? "unsubscribed" : "subscribed",
      });
    }
    const page = await client.lists.getListMembersInfo(listId, {
      count: 10,
      offset: 10,
      status: "subscribed",
    });
    expect(page.total_items).toBe(20);
    expect(page.members).toHaveLength(10);
    expectContract("GET", "/lists/{listId}/members", 200, page);
    const tooMany = await sdkFailure(client.lists.getListMembersInfo(listId, { count: 1001 }));
    expect(tooMany.status).toBe(400);
    expectContract("GET", "/lists/{listId}", 200, await client.lists.getList(listId));
  });
});
