import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Limiter } from "../../src/limiter.js";
import { createBrevoProvider } from "../../src/providers/brevo/index.js";
import type { RunningBrevoSimulator } from "../../src/sandbox/brevo.js";
import { brevoTestKey, startBrevoSimulator } from "../../src/sandbox/brevo.js";
import { brevoShop, requestsOf, upstreamError } from "./brevo-harness.js";

let server: RunningBrevoSimulator;

beforeAll(async () => {
  server = await startBrevoSimulator();
});
afterAll(async () => {
  await server.close();
});

describe("verify and account reads", () => {
  it("returns the account email as label and the company as name", async () => {
    const shop = brevoShop(server, { email: "owner@farm.example.org", companyName: "Green Farm" });
    expect(await shop.provider.verify()).toEqual({
      label: "owner@farm.example.org",
      name: "Green Farm",
      email: "owner@farm.example.org",
    });
  });

  it("reports a refused key as authFailed with what to do, without the key", async () => {
    const apiKey = brevoTestKey("never-registered");
    const provider = createBrevoProvider({ apiKey, baseUrl: server.basePath, limiter: new Limiter(4) });
    const error = await upstreamError(provider.verify());
    expect(error.options).toMatchObject({ status: 401, authFailed: true, retryable: false });
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/Brevo refused the API key.*API keys/);
    expect(error.message).not.toContain(apiKey.slice(8, 30));
  });

  it("does not quote a Brevo message that carries a key", async () => {
    const shop = brevoShop(server);
    server.sim.controls.addFault({
      method: "GET",
      pathPrefix: "/senders",
      status: 400,
      body: { code: "invalid_parameter", message: `Key ${shop.apiKey} is not allowed here` },
      remaining: 1,
    });
    const error = await upstreamError(shop.provider.listSenders());
    expect(error.options).toMatchObject({ status: 400, providerCode: "invalid_parameter", retryable: false });
    expect(error.message).not.toContain("xkeysib");
    expect(error.message).not.toContain(shop.apiKey.slice(-16));
  });

  it("reports an unreachable Brevo as retryable", async () => {
    const provider = createBrevoProvider({
      apiKey: brevoTestKey("offline"),
      baseUrl: "http://127.0.0.1:9/v3",
      limiter: new Limiter(4),
      retryBaseMs: 1,
    });
    const error = await upstreamError(provider.verify());
    expect(error.retryable).toBe(true);
    expect(error.message).toBe("Could not reach Brevo. The bridge will try again later.");
  });

  it("lists senders with verified = active, reading Brevo once per instance", async () => {
    const shop = brevoShop(server, {
      senders: [
        { name: "Farm", email: "news@farm.example.org" },
        { name: "Old", email: "old@farm.example.org", active: false },
      ],
    });
    const first = await shop.provider.listSenders();
    await shop.provider.listSenders();
    expect(first).toEqual([
      { email: "news@farm.example.org", name: "Farm", verified: true },
      { email: "old@farm.example.org", name: "Old", verified: false },
    ]);
    expect(requestsOf(server, shop.label, "GET", "/senders")).toHaveLength(1);
  });

  it("lists every list as an audience over pages of 50, hiding the bridge's own lists", async () => {
    const shop = brevoShop(server);
    for (let i = 1; i <= 120; i++) server.sim.addList(shop.apiKey, { name: `List ${i}` });
    server.sim.addList(shop.apiKey, { name: "OFN: veg" });
    server.sim.addList(shop.apiKey, { name: "OFN sync (not a mailing list)" });
    server.sim.addContact(shop.apiKey, { email: "a@example.org", listIds: [shop.listId] });

    const audiences = await shop.provider.listAudiences();
    expect(audiences).toHaveLength(121);
    expect(audiences[0]).toEqual({ id: shop.audienceId, name: "Customers", memberCount: 1 });
    expect(audiences.map((a) => a.name)).not.toContain("OFN: veg");
    expect(new Set(audiences.map((a) => a.id)).size).toBe(121);
    const pages = requestsOf(server, shop.label, "GET", "/contacts/lists");
    expect(pages.map((r) => r.query)).toEqual([
      "?limit=50&offset=0&sort=asc",
      "?limit=50&offset=50&sort=asc",
      "?limit=50&offset=100&sort=asc",
    ]);
  });
});

describe("rate limits and retries", () => {
  it("retries a read that timed out, and reports a timed-out campaign POST as retryable without repeating it", async () => {
    const shop = brevoShop(server, { senders: [{ name: "Farm", email: "news@farm.example.org" }] });
    const provider = createBrevoProvider({
      apiKey: shop.apiKey,
      baseUrl: server.basePath,
      limiter: new Limiter(4),
      retryBaseMs: 1,
      timeoutSeconds: 0.3,
    });
    server.sim.controls.addFault({ method: "GET", pathPrefix: "/account", hang: true, remaining: 1 });
    const reads = server.sim.controls.countRequests({ method: "GET", pathPrefix: "/account" });
    await expect(provider.verify()).resolves.toMatchObject({ label: expect.any(String) });
    expect(server.sim.controls.countRequests({ method: "GET", pathPrefix: "/account" }) - reads).toBe(2);

    server.sim.controls.addFault({ method: "POST", pathPrefix: "/emailCampaigns", hang: true, remaining: 2 });
    const before = server.sim.controls.countRequests({ method: "POST", pathPrefix: "/emailCampaigns" });
    const error = await upstreamError(
      provider.createCampaign({
        audienceId: shop.audienceId,
        title: "OC 1",
        subject: "Open",
        fromName: "Farm",
        replyTo: "news@farm.example.org",
        html: "<p>Orders are open</p>",
      }),
    );
    expect(error.retryable).toBe(true);
    expect(error.message).toBe("Brevo did not answer in time. The bridge will try again later.");
    expect(
      server.sim.controls.countRequests({ method: "POST", pathPrefix: "/emailCampaigns" }) - before,
    ).toBe(1);
    server.sim.controls.releaseHanging();
    server.sim.controls.faults = [];
  });

  it("waits for x-sib-ratelimit-reset after a 429 on a read, then succeeds", async () => {
    const shop = brevoShop(server);
    server.sim.controls.addFault({
      method: "GET",
      pathPrefix: "/account",
      status: 429,
      headers: { "x-sib-ratelimit-reset": "1" },
      body: { code: "too_many_requests", message: "The expected rate limit is exceeded." },
      remaining: 1,
    });
    const before = server.sim.controls.countRequests({ method: "GET", pathPrefix: "/account" });
    const started = Date.now();
    await expect(shop.provider.verify()).resolves.toMatchObject({ label: expect.any(String) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(server.sim.controls.countRequests({ method: "GET", pathPrefix: "/account" }) - before).toBe(2);
  });

  it("gives up at once, retryable with the wait, when the reset is far away (hourly bucket spent)", async () => {
    const shop = brevoShop(server, { senders: [{ name: "Farm", email: "news@farm.example.org" }] });
    server.sim.limits.generalPerHour = 1;
    try {
      await shop.provider.listSenders();
      const started = Date.now();
      const error = await upstreamError(shop.provider.verify());
      expect(Date.now() - started).toBeLessThan(1000);
      expect(error.options).toMatchObject({ status: 429, retryable: true });
      expect(error.options.retryAfterMs).toBeGreaterThan(3_000_000);
      expect(requestsOf(server, shop.label, "GET", "/account")).toHaveLength(1);
    } finally {
      server.sim.limits.generalPerHour = 100;
    }
  });
});
