import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/errors.js";
import { Limiter } from "../../src/limiter.js";
import { createMailchimpProvider, parseMailchimpKey } from "../../src/providers/mailchimp/index.js";
import { type Harness, newKey, providerFor, seedShop, startHarness } from "./mailchimp-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function upstreamFailure(call: Promise<unknown>): Promise<UpstreamError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe("API key", () => {
  const secret = "0123456789abcdef0123456789abcdef";

  it("accepts a well-formed key and gives its datacenter", () => {
    expect(parseMailchimpKey(`${secret}-us21`)).toEqual({ apiKey: `${secret}-us21`, dc: "us21" });
    expect(parseMailchimpKey(` ${secret}-us1\n`).dc).toBe("us1");
  });

  it.each([
    ["a host smuggled in the suffix", `${secret}-us1.evil.com`],
    ["a path smuggled in the suffix", `${secret}-us21/x`],
    ["a userinfo trick", `${secret}-us21@evil.com`],
    ["a query trick", `${secret}-us21?x=`],
    ["no dash", secret],
    ["no secret", "-us21"],
    ["too many digits", `${secret}-us1234`],
    ["upper case", `${secret}-US21`],
    ["an empty key", ""],
  ])("refuses %s without making any request", async (_name, key) => {
    expect(() => parseMailchimpKey(key)).toThrow("This is not a Mailchimp API key");
    const before = h.sim.controls.requests.length;
    const sentBefore = h.sent.length;
    const provider = providerFor(h, key);
    const error = await upstreamFailure(provider.verify());
    expect([error.permanent, error.retryable, error.options.authFailed]).toEqual([true, false, true]);
    await upstreamFailure(provider.listAudiences());
    expect(h.sim.controls.requests.length).toBe(before);
    expect(h.sent.length).toBe(sentBefore);
  });
});

describe("verify", () => {
  it("pings, then names the account by datacenter and account name", async () => {
    const { provider, label } = seedShop(h);
    const info = await provider.verify();
    expect(info).toMatchObject({ label: "us21 · Sandbox Shop", name: "Sandbox Shop" });
    const calls = h.sim.controls.requests
      .filter((r) => r.account === label)
      .map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual(["GET /ping", "GET /"]);
  });

  it("reports an unknown key as authFailed, permanent, without the key anywhere in the error", async () => {
    const key = newKey();
    const error = await upstreamFailure(providerFor(h, key).verify());
    expect(error.options).toMatchObject({ status: 401, authFailed: true, retryable: false });
    expect(error.permanent).toBe(true);
    const basic = Buffer.from(`user:${key}`).toString("base64");
    const everything = `${JSON.stringify(error)} ${String(error)} ${error.stack} ${JSON.stringify(error.options)}`;
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(basic);
    expect(everything).not.toContain(key.slice(0, 32));
  });

  it("reports a key for another datacenter as a permanent 403 naming the right one", async () => {
    const { key } = seedShop(h);
    const error = await upstreamFailure(providerFor(h, key.replace(/-us21$/, "-us3")).verify());
    expect(error.options).toMatchObject({ status: 403, retryable: false, authFailed: true });
    expect(error.message).toContain("linked to datacenter 'us21'");
  });
});

describe("audiences and senders", () => {
  it("lists audiences with subscribed counts and double opt-in", async () => {
    const { provider, key, listId } = seedShop(h);
    const doi = h.sim.addList(key, { name: "Newsletter", doubleOptin: true });
    h.sim.addMember(key, listId, { email: "a@farm.org", status: "subscribed" });
    h.sim.addMember(key, listId, { email: "b@farm.org", status: "unsubscribed" });
    const audiences = await provider.listAudiences();
    expect(audiences).toEqual([
      { id: listId, name: "Farm shop customers", memberCount: 1, doubleOptIn: false },
      { id: doi.id, name: "Newsletter", memberCount: 0, doubleOptIn: true },
    ]);
    const request = h.sim.controls.requests.findLast((r) => r.path === "/lists");
    expect(new URLSearchParams(request?.query).get("count")).toBe("1000");
  });

  it("offers the audiences' From addresses, verified by domain", async () => {
    const { provider, key } = seedShop(h);
    h.sim.account(key).lists.forEach((list) => {
      list.fromEmail = "news@greengrocer.org";
      list.fromName = "Green Grocer";
    });
    const other = h.sim.addList(key, { name: "Second" });
    other.fromEmail = "me@gmail.com";
    other.fromName = "Me";
    // The simulator has no /verified-domains (see the report); answer it the way Mailchimp does.
    h.sim.controls.addFault({
      method: "GET",
      pathPrefix: "/verified-domains",
      status: 200,
      body: { domains: [{ domain: "greengrocer.org", verified: true }], total_items: 1 },
      remaining: 1,
    });
    expect(await provider.listSenders()).toEqual([
      { email: "news@greengrocer.org", name: "Green Grocer", verified: true },
      { email: "me@gmail.com", name: "Me", verified: false },
    ]);
  });
});

describe("retries", () => {
  it("repeats a GET refused with 429 and with a body-less 403, then succeeds", async () => {
    const { provider, label } = seedShop(h);
    h.sim.controls.addFault({ method: "GET", pathPrefix: "/lists", status: 429, body: null, remaining: 1 });
    h.sim.controls.addFault({ method: "GET", pathPrefix: "/lists", status: 403, body: null, remaining: 1 });
    const before = h.sim.controls.countRequests({ method: "GET", pathPrefix: "/lists" });
    expect(await provider.listAudiences()).toHaveLength(1);
    expect(h.sim.controls.countRequests({ method: "GET", pathPrefix: "/lists" }) - before).toBe(3);
    expect(h.sim.controls.countRequests({ method: "GET", pathPrefix: "/lists", account: label })).toBe(1);
  });

  it("repeats a GET that timed out", async () => {
    const { key } = seedShop(h);
    const provider = providerFor(h, key, { timeoutMs: 300 });
    h.sim.controls.addFault({ method: "GET", pathPrefix: "/ping", hang: true, remaining: 1 });
    expect((await provider.verify()).name).toBe("Sandbox Shop");
  });

  it("reports an unreachable server as retryable after trying again", async () => {
    const provider = createMailchimpProvider({
      apiKey: newKey(),
      baseUrl: "http://127.0.0.1:1/3.0",
      limiter: new Limiter(4),
      retryBaseMs: 1,
    });
    const error = await upstreamFailure(provider.verify());
    expect([error.retryable, error.options.providerCode]).toEqual([true, "ECONNREFUSED"]);
    expect(error.message).toBe("Could not reach Mailchimp while checking the API key (ECONNREFUSED).");
  });

  it("gives up after five tries with a retryable error", async () => {
    const { provider } = seedShop(h);
    h.sim.controls.addFault({ method: "GET", pathPrefix: "/lists", status: 503, body: null, remaining: 5 });
    const error = await upstreamFailure(provider.listAudiences());
    expect([error.retryable, error.options.status]).toEqual([true, 503]);
    expect(h.sim.controls.faults).toHaveLength(0);
  });

  it("does not repeat a 400", async () => {
    const { provider } = seedShop(h);
    const problem = {
      title: "Invalid Resource",
      status: 400,
      detail: "The resource submitted could not be validated.",
    };
    h.sim.controls.addFault({
      method: "GET",
      pathPrefix: "/lists",
      status: 400,
      body: problem,
      remaining: 2,
    });
    const before = h.sim.controls.countRequests({ pathPrefix: "/lists" });
    const error = await upstreamFailure(provider.listAudiences());
    expect([error.permanent, error.options.status, error.options.providerCode]).toEqual([
      true,
      400,
      "Invalid Resource",
    ]);
    expect(error.message).toContain("The resource submitted could not be validated.");
    expect(h.sim.controls.countRequests({ pathPrefix: "/lists" }) - before).toBe(1);
    h.sim.controls.faults = [];
  });
});
