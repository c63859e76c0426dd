/**
 * The SDK's superagent opens a new connection (a new TLS handshake with Mailchimp) per request
 * unless given an agent; the client makes it reuse them, and copes with the server closing an
 * idle one.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Limiter } from "../../src/limiter.js";
import { createMailchimpClient } from "../../src/providers/mailchimp/client.js";
import { createMailchimpSimulator } from "../../src/sandbox/mailchimp.js";

const KEY = `${"f".repeat(32)}-us21`;
let connections = 0;
let url = "";
let server: ReturnType<typeof serve>;

beforeAll(async () => {
  const sim = createMailchimpSimulator();
  sim.addAccount({ apiKey: KEY });
  await new Promise<void>((ready) => {
    server = serve({ fetch: sim.app.fetch, port: 0, hostname: "127.0.0.1" }, () => ready());
  });
  server.on("connection", () => {
    connections += 1;
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/3.0`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe("the Mailchimp client's connections", () => {
  it("reuses one connection for calls made one after the other", async () => {
    const client = createMailchimpClient({ apiKey: KEY, baseUrl: url, limiter: new Limiter(4) });
    const before = connections;
    for (let i = 0; i < 10; i++) {
      await client.call("idempotent", "pinging", (api) => api.ping.get());
    }
    expect(connections - before).toBe(1);
  });

  it("opens a new one when the server closed the idle one", async () => {
    const client = createMailchimpClient({ apiKey: KEY, baseUrl: url, limiter: new Limiter(4) });
    // The server closes idle connections quickly, as a server may at any time.
    (server as unknown as { keepAliveTimeout: number }).keepAliveTimeout = 100;
    await client.call("idempotent", "pinging", (api) => api.ping.get());
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = connections;
    const pong = await client.call("once", "pinging", (api) => api.ping.get());
    expect(pong).toMatchObject({ health_status: expect.any(String) });
    expect(connections - before).toBe(1);
  });
});
