import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/errors.js";
import { Limiter } from "../../src/limiter.js";
import { createOfnClient, resolveOfnInstance } from "../../src/ofn/client.js";
import { listen, type RunningServer } from "../../src/sandbox/controls.js";
import { type OfnSimulator, startOfnSimulator } from "../../src/sandbox/ofn.js";
import { generateCustomers } from "../../src/sandbox/seed.js";
import { hex } from "../support/ids.js";

describe("OFN client against the OFN simulator", () => {
  let sim: OfnSimulator;
  let url: string;
  let close: () => Promise<void>;
  const key = hex(48);
  const client = (apiKey = key, timeoutMs = 2_000) =>
    createOfnClient({ instance: url, apiKey, limiter: new Limiter(2), timeoutMs, retryBaseMs: 5 });

  beforeAll(async () => {
    const started = await startOfnSimulator();
    sim = started.sim;
    url = started.url;
    close = started.close;
    sim.addUser({
      apiKey: key,
      enterprises: [
        { id: 11, name: "Ferme & Fils", permalink: "ferme-fils" },
        { id: 12, name: "Hub", permalink: "hub" },
      ],
    });
    sim.addCustomers(11, generateCustomers(11, 250));
  });
  afterAll(async () => {
    sim.close();
    await close();
  });

  async function readAll(c = client(), enterpriseId = 11) {
    const emails: string[] = [];
    let total = 0;
    for await (const page of c.customerPages(enterpriseId)) {
      emails.push(...page.customers.map((customer) => customer.email));
      total = page.total;
    }
    return { emails, total };
  }

  it("follows links.next over pages of 100 and reads each customer once", async () => {
    const c = client();
    const { emails, total } = await readAll(c);
    expect(emails).toHaveLength(250);
    expect(new Set(emails).size).toBe(250);
    expect(total).toBe(250);
    expect(c.requestCount).toBe(3);
  });

  it("lists the key owner's enterprises with names and finds the public shop URL", async () => {
    const enterprises = await client().listEnterprises();
    expect(enterprises).toEqual([
      { id: 11, name: "Ferme & Fils" },
      { id: 12, name: "Hub" },
    ]);
    const shop = await client().getShop(11);
    expect(shop?.url).toBe(`${url}/ferme-fils/shop`);
    expect(await client().getShop(99_999)).toBeUndefined();
  });

  it("marks a refused key as broken and does not retry it", async () => {
    sim.controls.requests = [];
    const error = await client(hex(48))
      .listEnterprises()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).options.authFailed).toBe(true);
    expect((error as UpstreamError).message).not.toMatch(/[0-9a-f]{48}/);
    expect(sim.controls.countRequests({ pathPrefix: "/api/dfc" })).toBe(1);
  });

  it("retries 500, 504 and HTML error pages in the middle of paging", async () => {
    sim.controls.addFault({ pathPrefix: "/api/v1/enterprises/11/customers", status: 500, remaining: 1 });
    const c = client();
    const pages = c.customerPages(11);
    const first = await pages.next();
    expect(first.value?.customers).toHaveLength(100);
    sim.controls.addFault({
      pathPrefix: "/api/v1/enterprises/11/customers",
      status: 504,
      body: null,
      remaining: 1,
    });
    sim.controls.addFault({
      pathPrefix: "/api/v1/enterprises/11/customers",
      status: 502,
      body: "<html>Bad gateway</html>",
      remaining: 1,
    });
    let rest = 0;
    for await (const page of { [Symbol.asyncIterator]: () => pages }) rest += page.customers.length;
    expect(rest).toBe(150);
  });

  it("reads the next page ahead while the caller works, and a caller who stops early leaves nothing failing", async () => {
    let calls = 0;
    let unhandled = 0;
    const onUnhandled = () => {
      unhandled += 1;
    };
    process.on("unhandledRejection", onUnhandled);
    const c = createOfnClient({
      instance: url,
      apiKey: key,
      limiter: new Limiter(2),
      retryBaseMs: 5,
      // The second page fails for good: a read ahead that nobody awaits must not surface.
      fetch: async (input, init) => {
        calls += 1;
        return calls === 2 ? new Response("", { status: 401 }) : fetch(input, init);
      },
    });
    const pages = c.customerPages(11);
    const first = await pages.next();
    expect(first.value?.customers).toHaveLength(100);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(2);
    await pages.return(undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off("unhandledRejection", onUnhandled);
    expect(unhandled).toBe(0);

    // A caller who does come back gets the read ahead's failure.
    calls = 0;
    const again = c.customerPages(11);
    await again.next();
    const error = await again.next().catch((e: unknown) => e);
    expect((error as UpstreamError).options.authFailed).toBe(true);
  });

  it("times out a hanging request and retries it", async () => {
    sim.controls.addFault({ pathPrefix: "/api/v1/enterprises/11/customers", hang: true, remaining: 1 });
    const { emails } = await readAll(client(key, 200));
    expect(emails).toHaveLength(250);
    sim.controls.releaseHanging();
  });

  it("never sends the key to a host a links.next points to", async () => {
    let stolen = 0;
    const thief = new Hono().get("*", (c) => {
      stolen += c.req.header("x-api-token") ? 1 : 0;
      return c.json({ data: [] });
    });
    const thiefServer: RunningServer = await listen(thief);
    const evil = new Hono().get("*", (c) =>
      c.json({ data: [], meta: { pagination: { results: 1 } }, links: { next: `${thiefServer.url}/steal` } }),
    );
    const evilServer = await listen(evil);
    try {
      const c = createOfnClient({
        instance: evilServer.url,
        apiKey: key,
        limiter: new Limiter(1),
        retryBaseMs: 5,
      });
      await expect(readAll(c)).rejects.toThrow(/another host/);
      expect(stolen).toBe(0);
    } finally {
      await Promise.all([thiefServer.close(), evilServer.close()]);
    }
  });

  it("only accepts instances from the operator's allow-list", () => {
    const allow = ["https://coopcircuits.fr", "http://127.0.0.1:4001"];
    expect(resolveOfnInstance(allow, "https://coopcircuits.fr/")).toBe("https://coopcircuits.fr");
    expect(resolveOfnInstance(allow, "https://coopcircuits.fr.evil.example")).toBeUndefined();
    expect(resolveOfnInstance(allow, "http://169.254.169.254/latest")).toBeUndefined();
    expect(resolveOfnInstance(allow, "not a url")).toBeUndefined();
  });
});
