/**
 * /batches runs member upserts and tag updates without going through HTTP routing (a sync sends
 * them by the hundred thousand). Whatever path an operation takes, its result must be what the
 * route itself answers: the same operations, sent one by one to one simulator and as a batch to
 * another seeded the same way, give the same status codes and bodies.
 */
import { describe, expect, it } from "vitest";
import { subscriberHash } from "../../src/sandbox/mailchimp/store.js";
import { createMailchimpSimulator, type MailchimpSimulator } from "../../src/sandbox/mailchimp.js";

const KEY = `${"d".repeat(32)}-us21`;

function seeded(): { sim: MailchimpSimulator; listId: string } {
  const sim = createMailchimpSimulator();
  sim.addAccount({ apiKey: KEY });
  const listId = sim.addList(KEY, { name: "Customers" }).id;
  sim.addMember(KEY, listId, { email: "gone@farm.org", status: "unsubscribed" });
  sim.addMember(KEY, listId, { email: "forgotten@farm.org", status: "subscribed" });
  sim.forgetMember(KEY, listId, "forgotten@farm.org");
  return { sim, listId };
}

interface Op {
  method: "PUT" | "POST";
  path: string;
  params?: Record<string, string>;
  body: string;
}

function operations(listId: string): Op[] {
  const member = (email: string) => `/lists/${listId}/members/${subscriberHash(email)}`;
  const put = (email: string, body: unknown, params?: Record<string, string>): Op => ({
    method: "PUT",
    path: member(email),
    body: JSON.stringify(body),
    ...(params ? { params } : {}),
  });
  return [
    put("new@farm.org", {
      email_address: "new@farm.org",
      status_if_new: "transactional",
      merge_fields: { FNAME: "Ann" },
    }),
    put("gone@farm.org", { email_address: "gone@farm.org", status: "subscribed" }),
    put("gone@farm.org", {
      email_address: "gone@farm.org",
      status_if_new: "subscribed",
      merge_fields: { LNAME: "Bo" },
    }),
    put("forgotten@farm.org", { email_address: "forgotten@farm.org", status_if_new: "subscribed" }),
    put("odd@farm.org", { email_address: "odd@farm.org" }),
    put("addr@farm.org", {
      email_address: "addr@farm.org",
      status_if_new: "subscribed",
      merge_fields: { ADDRESS: { addr1: "1 rue" } },
    }),
    put(
      "addr@farm.org",
      {
        email_address: "addr@farm.org",
        status_if_new: "subscribed",
        merge_fields: { ADDRESS: { addr1: "1 rue" } },
      },
      { skip_merge_validation: "true" },
    ),
    put("other@farm.org", { email_address: "new@farm.org", status_if_new: "subscribed" }),
    { method: "PUT", path: member("broken@farm.org"), body: "{not json" },
    { method: "PUT", path: `/lists/nolist/members/${subscriberHash("x@farm.org")}`, body: "{}" },
    {
      method: "POST",
      path: `${member("new@farm.org")}/tags`,
      body: JSON.stringify({ tags: [{ name: "Hub A", status: "active" }], is_syncing: true }),
    },
    {
      method: "POST",
      path: `${member("nobody@farm.org")}/tags`,
      body: JSON.stringify({ tags: [{ name: "Hub A", status: "active" }] }),
    },
    {
      method: "POST",
      path: `${member("new@farm.org")}/tags`,
      body: JSON.stringify({ tags: [{ name: "", status: "on" }] }),
    },
  ];
}

/** What may differ between two simulators: generated ids, timestamps, problem instances. */
function comparable(status: number, text: string): unknown {
  if (!text) return { http: status };
  const body = JSON.parse(text) as Record<string, unknown>;
  const {
    instance: _i,
    id: _id,
    list_id: _list,
    unique_email_id: _u,
    web_id: _w,
    timestamp_opt: _t,
    last_changed: _l,
    _links: _k,
    ...rest
  } = body;
  return {
    http: status,
    ...rest,
    tags: Array.isArray(body.tags) ? body.tags.map((t: { name: string }) => t.name) : undefined,
  };
}

const auth = { authorization: `apikey ${KEY}`, "content-type": "application/json" };

describe("member operations in a batch", () => {
  it("answer exactly what the routes answer, one by one", async () => {
    const direct = seeded();
    const oneByOne: unknown[] = [];
    for (const op of operations(direct.listId)) {
      const query = op.params ? `?${new URLSearchParams(op.params)}` : "";
      const response = await direct.sim.app.request(`/3.0${op.path}${query}`, {
        method: op.method,
        headers: auth,
        body: op.body,
      });
      oneByOne.push(comparable(response.status, await response.text()));
    }

    const batched = seeded();
    const ops = operations(batched.listId).map((op, i) => ({ ...op, operation_id: String(i) }));
    const started = await batched.sim.app.request("/3.0/batches", {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ operations: ops }),
    });
    const { id } = (await started.json()) as { id: string };
    const batch = batched.sim.account(KEY).batches.get(id)!;
    for (let i = 0; i < 100 && batch.status !== "finished"; i += 1)
      await new Promise((r) => setTimeout(r, 5));
    const inBatch = [...batch.results]
      .sort((a, b) => Number(a.operation_id) - Number(b.operation_id))
      .map((r) => comparable(r.status_code, r.response));

    expect(inBatch).toEqual(oneByOne);
    // The sequence covers successes and each kind of refusal, so the comparison means something.
    const statuses = oneByOne.map((r) => (r as { http: number }).http);
    expect(new Set(statuses)).toEqual(new Set([200, 204, 400, 404]));
    expect(batched.sim.member(KEY, batched.listId, "gone@farm.org")?.status).toBe("unsubscribed");
    expect(batched.sim.memberTags(KEY, batched.listId, "new@farm.org")).toEqual(["Hub A"]);
  });
});
