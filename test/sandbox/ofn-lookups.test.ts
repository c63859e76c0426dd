import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey, type OfnSimulator, startOfnSimulator } from "../../src/sandbox/ofn.js";
import { responseViolations } from "../support/openapi-contract.js";

const keyA = generateApiKey();
const keyB = generateApiKey();
let sim: OfnSimulator;
let baseUrl: string;
let stop: () => Promise<void>;

const getCustomers = (path: string, key: string) =>
  fetch(`${baseUrl}${path}`, { headers: { "X-Api-Token": key } });

beforeAll(async () => {
  ({ sim, url: baseUrl, close: stop } = await startOfnSimulator());
  sim.addUser({
    apiKey: keyA,
    enterprises: [
      { id: 10, name: "Farm Hub", permalink: "farm-hub", email: "hub@farm.example" },
      { id: 11, name: "Second Shop", permalink: "second-shop" },
    ],
  });
  sim.addUser({ apiKey: keyB, enterprises: [{ id: 20, name: "Other", permalink: "other" }] });
  sim.addCustomers(10, [{ email: "a@example.com" }, { email: "b@example.com" }]);
});

afterAll(async () => {
  await stop();
});

describe("enterprise look-ups", () => {
  const dfc = async (key: string) => {
    const response = await fetch(`${baseUrl}/api/dfc/organizations`, { headers: { "X-Api-Token": key } });
    return {
      status: response.status,
      body: (await response.json()) as { "@graph": Array<Record<string, unknown>> },
    };
  };

  it("lists DFC organizations, with ldp:contains a string for one and an array for several", async () => {
    const one = await dfc(keyB);
    expect(one.body["@graph"][0]).toEqual({
      "@type": "ldp:Container",
      "ldp:contains": `${baseUrl}/api/dfc/organizations/20`,
    });
    const several = await dfc(keyA);
    expect(several.body["@graph"]).toEqual([
      {
        "@type": "ldp:Container",
        "ldp:contains": [`${baseUrl}/api/dfc/organizations/10`, `${baseUrl}/api/dfc/organizations/11`],
      },
      expect.objectContaining({ "@id": `${baseUrl}/api/dfc/organizations/10`, "dfc-b:name": "Farm Hub" }),
      expect.objectContaining({ "dfc-b:email": "hello@second-shop.example.org" }),
    ]);
    expect((await dfc("0".repeat(48))).status).toBe(401);
  });

  it("serves the public v0 shopfront by numeric id only", async () => {
    const response = await fetch(`${baseUrl}/api/v0/shops/10`);
    const shop = (await response.json()) as Record<string, unknown>;
    expect(shop).toMatchObject({ id: 10, name: "Farm Hub", hash: "farm-hub", path: "/farm-hub/shop" });
    expect(shop.email_address).toBe("elpmaxe.mraf@buh");
    expect(responseViolations("ofn-api-v0.yaml", "GET", "/api/v0/shops/{id}", 200, shop)).toEqual([]);
    expect((await fetch(`${baseUrl}/api/v0/shops/farm-hub`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/v0/shops/404`)).status).toBe(404);
  });
});

describe("shared sandbox controls", () => {
  it("injects faults for the next requests, then answers normally", async () => {
    await fetch(`${baseUrl}/__sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ pathPrefix: "/api/v1/", status: 500, remaining: 2 }),
    });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push(
        (await fetch(`${baseUrl}/api/v1/customers`, { headers: { "X-Api-Token": keyA } })).status,
      );
    }
    expect(statuses).toEqual([500, 500, 200]);
  });

  it("adds latency and logs requests by account, never by key", async () => {
    sim.controls.latencyMs = 120;
    const started = Date.now();
    expect((await getCustomers("/api/v1/enterprises/11/customers?per_page=1", keyA)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    sim.controls.latencyMs = 0;
    const log = sim.controls.requests.at(-1)!;
    expect(log).toMatchObject({
      path: "/api/v1/enterprises/11/customers",
      status: 200,
      account: "ofn-user-1",
    });
    expect(JSON.stringify(sim.controls.requests)).not.toContain(keyB);
  });

  it("shows state with only the last four characters of each key", async () => {
    const text = await (await fetch(`${baseUrl}/__sandbox/state`)).text();
    expect(text).not.toContain(keyA);
    const state = JSON.parse(text) as {
      users: Array<{ apiKey: string }>;
      enterprises: Array<{ customers: number }>;
    };
    expect(state.users[0]!.apiKey).toBe(`…${keyA.slice(-4)}`);
    expect(state.enterprises[0]!.customers).toBe(2);
  });
});
