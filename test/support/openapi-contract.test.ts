import { describe, expect, it } from "vitest";
import { requestBodyViolations, responseViolations } from "./openapi-contract.js";

const customer = {
  id: "1",
  type: "customer",
  attributes: {
    id: 1,
    enterprise_id: 2,
    first_name: "Alice",
    last_name: null,
    code: null,
    email: "alice@example.com",
    allow_charges: false,
    terms_and_conditions_accepted_at: "2022-03-12T15:55:00.000+11:00",
    tags: ["staff"],
    billing_address: null,
    shipping_address: null,
  },
  relationships: { enterprise: { data: { id: "2", type: "enterprise" } } },
};
const page = {
  data: [customer],
  meta: { pagination: { results: 1, pages: 1, page: 1, per_page: 50 } },
  links: {
    self: "http://x/?page=1",
    first: "http://x/?page=1",
    prev: null,
    next: null,
    last: "http://x/?page=1",
  },
};

describe("responseViolations", () => {
  it("accepts a well-formed OFN customers page, with or without the path's parameter names", () => {
    expect(responseViolations("ofn-api-v1.yaml", "GET", "/api/v1/customers", 200, page)).toEqual([]);
    expect(
      responseViolations("ofn-api-v1.yaml", "get", "/api/v1/enterprises/{id}/customers", 200, page),
    ).toEqual([]);
  });

  it("reports each violation with where it is", () => {
    const broken = {
      data: [{ ...customer, attributes: { ...customer.attributes, id: "1", tags: undefined } }],
      meta: {},
      links: page.links,
    };
    const violations = responseViolations("ofn-api-v1.yaml", "GET", "/api/v1/customers", 200, broken);
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/data\/0\/attributes\/id must be integer/),
        expect.stringMatching(/^\/data\/0\/attributes must have required property 'tags'/),
        expect.stringMatching(/^\/meta must have required property 'pagination'/),
      ]),
    );
  });

  it("understands nullable, date-time and non-standard types", () => {
    const badDate = structuredClone(page);
    badDate.data[0]!.attributes.terms_and_conditions_accepted_at = "yesterday";
    expect(responseViolations("ofn-api-v1.yaml", "GET", "/api/v1/customers", 200, badDate)).toEqual([
      expect.stringContaining('must match format "date-time"'),
    ]);
    const transaction = {
      data: {
        id: "1",
        type: "customer_account_transaction",
        attributes: { id: 1, customer_id: 2, amount: 10.5, currency: "AUD", description: null, balance: 1 },
      },
    };
    expect(
      responseViolations("ofn-api-v1.yaml", "POST", "/api/v1/customer_account_transaction", 201, transaction),
    ).toEqual([]);
  });

  it("resolves component references and the server base path", () => {
    const error = { errors: [{ detail: "Invalid API key (x) specified." }] };
    expect(responseViolations("ofn-api-v1.yaml", "GET", "/api/v1/customers/{id}", 401, error)).toEqual([]);
    expect(
      responseViolations("ofn-api-v1.yaml", "GET", "/api/v1/customers/{id}", 401, { errors: [{}] }),
    ).toEqual(["/errors/0 must have required property 'detail'"]);
    const shop = { id: 1, name: "Shop", address: { id: "not a number" } };
    expect(responseViolations("ofn-api-v0.yaml", "GET", "/api/v0/shops/{id}", 200, shop)).toEqual([
      "/address/id must be integer",
    ]);
    expect(responseViolations("ofn-api-v0.yaml", "GET", "/shops/{id}", 200, { id: 1 })).toEqual([]);
  });

  it("falls back to the default response", () => {
    const problem = { type: "t", title: "Not Found", status: 404, detail: "d", instance: "i" };
    expect(
      responseViolations("mailchimp-marketing-api.json", "GET", "/3.0/lists/{list_id}", 404, problem),
    ).toEqual([]);
  });

  it("throws on an operation or status the spec does not document", () => {
    expect(() => responseViolations("ofn-api-v1.yaml", "GET", "/api/v1/customerz", 200, {})).toThrow(
      /no operation GET/,
    );
    expect(() => responseViolations("ofn-api-v1.yaml", "GET", "/api/v1/customers", 500, {})).toThrow(
      /documents no response 500/,
    );
  });
});

describe("requestBodyViolations", () => {
  it("checks request bodies, including YAML specs parsed without timestamp resolution", () => {
    expect(
      requestBodyViolations("ofn-api-v1.yaml", "POST", "/api/v1/customers", {
        enterprise_id: 2,
        email: "a@b.c",
      }),
    ).toEqual([]);
    expect(requestBodyViolations("ofn-api-v1.yaml", "POST", "/api/v1/customers", { email: "a@b.c" })).toEqual(
      ["(root) must have required property 'enterprise_id'"],
    );
    expect(requestBodyViolations("brevo-api-v3.yml", "POST", "/v3/contacts", { email: "a@b.c" })).toEqual([]);
    expect(() => requestBodyViolations("ofn-api-v1.yaml", "GET", "/api/v1/customers", {})).toThrow(
      /no request body/,
    );
  });
});
