/** A local bridge stand-in receiving OFN webhooks, plus simulator factories for the webhook tests. */
import { Hono } from "hono";
import { afterAll, afterEach, beforeAll } from "vitest";
import { listen, type RunningServer, sleep } from "../../src/sandbox/controls.js";
import {
  createOfnSimulator,
  generateApiKey,
  type OfnSimulator,
  type OfnSimulatorOptions,
} from "../../src/sandbox/ofn.js";

export interface Received {
  path: string;
  method: string;
  headers: Record<string, string>;
  text: string;
  body: { id: string; event: string; at: string; data: Record<string, unknown> };
}

export const AT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} (?:[+-]\d{4}|UTC)$/;
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(?:[+-]\d{2}:\d{2}|Z)$/;

export interface WebhookHarness {
  url(): string;
  /** Requests received since the current test started. */
  received: Received[];
  peakConcurrent(): number;
  /** A simulator with fast retries and timeouts; closed after the test. */
  newSim(options?: OfnSimulatorOptions): OfnSimulator;
  /** A user owning one fresh enterprise, with its webhook endpoint at `path` on the receiver. */
  owner(
    sim: OfnSimulator,
    path: string | null,
    name?: string,
  ): { apiKey: string; userId: number; enterpriseId: number };
}

/**
 * Registers the receiver for the calling test file. Paths choose its behaviour: /fail-N/… answers
 * 500 N times then 204, /slow/… takes 80 ms, /hang-once/… and /redirect-once/… misbehave once.
 */
export function useWebhookHarness(): WebhookHarness {
  let server: RunningServer | undefined;
  const received: Received[] = [];
  const hits = new Map<string, number>();
  const sims: OfnSimulator[] = [];
  let concurrent = 0;
  let peak = 0;
  let nextEnterpriseId = 1;

  const app = new Hono();
  app.all("*", async (c) => {
    const text = await c.req.text();
    const path = c.req.path;
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    received.push({
      path,
      method: c.req.method,
      headers: c.req.header(),
      text,
      body: JSON.parse(text || "{}"),
    });
    concurrent += 1;
    peak = Math.max(peak, concurrent);
    try {
      if (path.startsWith("/slow/")) await sleep(80);
      if (path.startsWith("/hang-once/") && count === 1) await sleep(1000);
      if (path.startsWith("/redirect-once/") && count === 1) return c.redirect("/followed", 302);
      const failures = Number(/^\/fail-(\d+)\//.exec(path)?.[1] ?? 0);
      return count <= failures ? c.text("boom", 500) : c.body(null, 204);
    } finally {
      concurrent -= 1;
    }
  });

  beforeAll(async () => {
    server = await listen(app);
  });
  afterEach(() => {
    for (const sim of sims.splice(0)) sim.close();
    received.length = 0;
    hits.clear();
    peak = 0;
  });
  afterAll(async () => {
    await server?.close();
  });

  const url = () => {
    if (!server) throw new Error("receiver not started");
    return server.url;
  };
  return {
    url,
    received,
    peakConcurrent: () => peak,
    newSim(options = {}) {
      const sim = createOfnSimulator({
        webhookTimeScale: 0.0001,
        webhookTimeoutMs: 5000,
        random: () => 0,
        ...options,
      });
      sims.push(sim);
      return sim;
    },
    owner(sim, path, name = "Farm Hub") {
      const enterpriseId = nextEnterpriseId++;
      const apiKey = generateApiKey();
      const user = sim.addUser({
        apiKey,
        enterprises: [{ id: enterpriseId, name, permalink: `shop-${enterpriseId}` }],
      });
      if (path) sim.setWebhookEndpoint(apiKey, `${url()}${path}`);
      return { apiKey, userId: user.id, enterpriseId };
    },
  };
}
