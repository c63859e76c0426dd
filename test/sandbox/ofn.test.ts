import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey, type OfnSimulator, startOfnSimulator } from "../../src/sandbox/ofn.js";
import { responseViolations } from "../support/openapi-contract.js";

const keyA = generateApiKey();
const keyB = generateApiKey();
let sim: OfnSimulator;
let baseUrl: string;
let stop: () => Promise<void>;

interface Page {
  data: Array<{ id: string; attributes: { id: number; enterprise_id: number; email: string } }>;
  meta: { pagination: { results: number; pages: number; page: number; per_page: number } };
  links: { self: string; first: string; prev: string | null; next: string | null; last: string };
}

/** GETs a customers URL and checks the answer against OFN's own OpenAPI file before returning it. */
async function customers(pathOrUrl: string, key?: string | null, headerName = "X-Api-Token") {
  const headers: Record<string, string> = key === undefined || key === null ? {} : { [headerName]: key };
  const response = await fetch(pathOrUrl.startsWith("http") ? pathOrUrl : `${baseUrl}${pathOrUrl}`, {
    headers,
  });
  const body = (await response.json()) as Page;
  const template = new URL(response.url).pathname.startsWith("/api/v1/enterprises/")
    ? "/api/v1/enterprises/{enterprise_id}/customers"
    : "/api/v1/customers";
  // The spec documents the error shape on sibling operations only; the schema is the same.
  const violations =
    response.status === 200
      ? responseViolations("ofn-api-v1.yaml", "GET", template, 200, body)
      : response.status === 401
        ? responseViolations("ofn-api-v1.yaml", "GET", "/api/v1/customers/{id}", 401, body)
        : responseViolations("ofn-api-v1.yaml", "POST", "/api/v1/customers", response.status, body);
  expect(violations).toEqual([]);
  return { status: response.status, body };
}

beforeAll(async () => {
  ({ sim, url: baseUrl, close: stop } = await startOfnSimulator());
  sim.addUser({
    apiKey: keyA,
    email: "owner@farm.example",
    enterprises: [
      { id: 10, name: "Farm Hub", permalink: "farm-hub", email: "hub@farm.example" },
      { id: 11, name: "Second Shop", permalink: "second-shop" },
    ],
  });
  sim.addUser({ apiKey: keyB, enterprises: [{ id: 20, name: "Other", permalink: "other" }] });
  sim.addCustomers(
    10,
    Array.from({ length: 250 }, (_, i) => ({ email: `Customer${i}@Example.com `, first_name: `C${i}` })),
  );
  sim.addCustomers(11, [{ email: "eleven@example.com" }]);
  sim.addCustomers(20, [{ email: "other@example.com" }]);
  sim.addCustomers(10, [{ email: "late@example.com" }]);
});

let nextEnterpriseId = 100;
/** A fresh user with one enterprise, for tests that change customers. */
function newShop(): { key: string; id: number } {
  const key = generateApiKey();
  const id = nextEnterpriseId++;
  sim.addUser({ apiKey: key, enterprises: [{ id, name: `Shop ${id}`, permalink: `shop-${id}` }] });
  return { key, id };
}

afterAll(async () => {
  await stop();
});

describe("customers pagination (OFN's Pagy bug)", () => {
  it.each([
    { query: "", records: 100, perPage: 50, pages: 3 },
    { query: "?per_page=200", records: 100, perPage: 200, pages: 3 },
    { query: "?per_page=30", records: 30, perPage: 30, pages: 9 },
    { query: "?per_page=500", records: 100, perPage: 200, pages: 3 },
  ])("$query → $records records, meta per_page $perPage", async ({ query, records, perPage, pages }) => {
    const { status, body } = await customers(`/api/v1/enterprises/10/customers${query}`, keyA);
    expect(status).toBe(200);
    expect(body.data).toHaveLength(records);
    expect(body.meta.pagination).toEqual({ results: 251, pages, page: 1, per_page: perPage });
  });

  it("answers page=0 and per_page=0 with Pagy's 422", async () => {
    const page0 = await customers("/api/v1/enterprises/10/customers?page=0", keyA);
    expect(page0).toEqual({ status: 422, body: { errors: [{ detail: "expected :page >= 1; got 0" }] } });
    const perPage0 = await customers("/api/v1/customers?per_page=0", keyA);
    expect(perPage0).toEqual({ status: 422, body: { errors: [{ detail: "expected :limit >= 1; got 0" }] } });
  });

  it("covers every customer exactly once by following links.next", async () => {
    const seen: number[] = [];
    let next: string | null = `${baseUrl}/api/v1/enterprises/10/customers?per_page=50`;
    let first = true;
    while (next) {
      const { body }: { body: Page } = await customers(next, keyA);
      if (first) expect(body.links.prev).toBeNull();
      first = false;
      seen.push(...body.data.map((c) => c.attributes.id));
      next = body.links.next;
    }
    expect(seen).toHaveLength(251);
    expect(new Set(seen).size).toBe(251);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it("builds absolute links that keep the query, sorted like Rails' to_query", async () => {
    const { body } = await customers("/api/v1/customers?per_page=100&enterprise_id=10&page=2", keyA);
    expect(body.links).toEqual({
      self: `${baseUrl}/api/v1/customers?enterprise_id=10&page=2&per_page=100`,
      first: `${baseUrl}/api/v1/customers?enterprise_id=10&page=1&per_page=100`,
      prev: `${baseUrl}/api/v1/customers?enterprise_id=10&page=1&per_page=100`,
      next: `${baseUrl}/api/v1/customers?enterprise_id=10&page=3&per_page=100`,
      last: `${baseUrl}/api/v1/customers?enterprise_id=10&page=3&per_page=100`,
    });
  });

  it("returns empty data past the last page", async () => {
    const { body } = await customers("/api/v1/enterprises/10/customers?page=9", keyA);
    expect(body.data).toEqual([]);
    expect(body.meta.pagination.results).toBe(251);
    expect(body.links.next).toBeNull();
  });
});

describe("customers scope and authentication", () => {
  it("echoes a wrong key in a 401, as OFN does", async () => {
    const wrong = "f".repeat(48);
    expect(await customers("/api/v1/customers", wrong)).toEqual({
      status: 401,
      body: { errors: [{ detail: `Invalid API key (${wrong}) specified.` }] },
    });
  });

  it("treats a blank or missing key as anonymous: 200 with nothing", async () => {
    for (const key of ["", "  ", null]) {
      const { status, body } = await customers("/api/v1/enterprises/10/customers", key);
      expect(status).toBe(200);
      expect(body.data).toEqual([]);
      expect(body.meta.pagination).toMatchObject({ results: 0, pages: 1 });
    }
  });

  it("returns 200 and empty data for an enterprise the key does not manage or that does not exist", async () => {
    for (const path of ["/api/v1/enterprises/20/customers", "/api/v1/enterprises/999/customers"]) {
      expect((await customers(path, keyA)).body.data).toEqual([]);
    }
    expect((await customers("/api/v1/customers?enterprise_id=20", keyA)).body.data).toEqual([]);
    expect((await customers("/api/v1/enterprises/20/customers", keyB)).body.data).toHaveLength(1);
  });

  it("accepts the key as a token query parameter, which then leaks into every link", async () => {
    const { body } = await customers(`/api/v1/enterprises/11/customers?token=${keyA}`);
    expect(body.data.map((c) => c.attributes.email)).toEqual(["eleven@example.com"]);
    expect(body.links.self).toContain(`token=${keyA}`);
  });

  it("mixes all the user's enterprises by id without enterprise_id", async () => {
    const { body } = await customers("/api/v1/customers?per_page=100&page=3", keyA);
    expect(body.data.map((c) => [c.attributes.id, c.attributes.enterprise_id])).toEqual([
      [201, 10],
      ...Array.from({ length: 49 }, (_, i) => [202 + i, 10]),
      [251, 11],
      [253, 10],
    ]);
    expect(body.meta.pagination.results).toBe(252);
  });

  it("renders the JSON:API record with downcased emails and the enterprise relationship", async () => {
    const shop = newShop();
    const [seeded] = sim.addCustomers(shop.id, [
      {
        email: "  Mixed.Case@Example.COM",
        first_name: "Alice",
        code: "BUYER1",
        tags: ["staff"],
        terms_and_conditions_accepted_at: "2022-03-12T15:55:00.000+11:00",
        shipping_address: {
          phone: "0404 333 222 111",
          first_name: "Alice",
          last_name: "Springs",
          street_address_1: "1 Flinders Street",
          street_address_2: "",
          postal_code: "1234",
          locality: "Melbourne",
          region: { code: "Vic", name: "Victoria" },
          country: { code: "AU", name: "Australia" },
        },
      },
      { email: "  RAW@Example.com ", rawEmail: true, first_name: "Ann & Bob", balance: 12.5 },
    ]);
    const { body } = await customers(`/api/v1/enterprises/${shop.id}/customers`, shop.key);
    const record = body.data.find((c) => c.attributes.id === seeded!.id);
    expect(record).toEqual({
      id: String(seeded!.id),
      type: "customer",
      attributes: expect.objectContaining({
        email: "mixed.case@example.com",
        enterprise_id: shop.id,
        last_name: null,
        allow_charges: false,
        billing_address: null,
        shipping_address: expect.objectContaining({ locality: "Melbourne" }),
      }),
      relationships: {
        enterprise: {
          data: { id: String(shop.id), type: "enterprise" },
          links: { related: `${baseUrl}/api/v1/enterprises/${shop.id}` },
        },
      },
    });
    expect(body.data.map((c) => c.attributes.email)).toContain("  RAW@Example.com ");
    const withBalance = `/api/v1/enterprises/${shop.id}/customers?extra_fields[customer]=balance`;
    const { body: balances } = await customers(withBalance, shop.key);
    expect(balances.data.map((c) => (c.attributes as { balance?: number }).balance)).toEqual([0, 12.5]);
    const raw = await fetch(`${baseUrl}${withBalance}`, { headers: { "X-Api-Token": shop.key } });
    expect(await raw.text()).toContain('"first_name":"Ann \\u0026 Bob"');
  });

  it("reflects updates and removed (merged) customers", async () => {
    const shop = newShop();
    const [first, gone, stays] = sim.addCustomers(shop.id, [
      { email: "first@example.com" },
      { email: "gone@example.com" },
      { email: "stays@example.com" },
    ]);
    sim.removeCustomer(gone!.id);
    sim.updateCustomer(stays!.id, { email: "Renamed@Example.com", tags: ["vip"] });
    const { body } = await customers(`/api/v1/enterprises/${shop.id}/customers`, shop.key);
    expect(body.data.map((c) => [c.attributes.id, c.attributes.email])).toEqual([
      [first!.id, "first@example.com"],
      [stays!.id, "renamed@example.com"],
    ]);
  });
});
