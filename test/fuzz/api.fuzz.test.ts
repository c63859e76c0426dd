/**
 * Property-based tests of every /api/v1 route, taken from the app's route table: random path
 * parameters, query strings, bodies (random JSON, settings-shaped documents with hostile values,
 * invalid JSON, any content type) and credentials, as the operator and as a shop. The answer is
 * a success or a JSON error in the shared shape whose code matches the status: never a 5xx.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillShop } from "../admin/fill-shop.js";
import { insertShop } from "../admin/support.js";
import { ADMIN_TOKEN } from "../api/support.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { answerOf, expectJsonAnswer, nastyString, pathSegment } from "./support.js";

const OFN = "https://openfoodnetwork.org.uk";
let t: TestApp;
let shops: Array<{ shopId: string; ofnApiKey: string }>;
let ipSeq = 0;

beforeAll(async () => {
  t = await createTestApp({ ADMIN_TOKEN, TRUST_PROXY: "true", OFN_INSTANCES: OFN });
  shops = [];
  for (let i = 0; i < 3; i++) {
    const shop = await insertShop(t, { ofnInstance: OFN });
    await fillShop(t.database.db, shop.shopId);
    shops.push(shop);
  }
});
afterAll(() => t.close());

const apiRoutes = () => [
  ...new Map(
    t.app.routes
      .filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL")
      .map((r) => [`${r.method} ${r.path}`, { method: r.method, path: r.path }]),
  ).values(),
];

/** Who calls: the operator, a shop with its key, or garbage credentials. */
const caller = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ authorization: `Bearer ${ADMIN_TOKEN}` }) },
  {
    weight: 3,
    arbitrary: fc.integer({ min: 0, max: 2 }).map((i) => ({
      authorization: `Bearer ${shops[i]!.ofnApiKey}`,
      "x-ofn-instance": OFN,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        // Header values are bytes: latin-1 text only, as any HTTP client sends.
        authorization: fc.string({ maxLength: 120 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
        "x-ofn-instance": fc.oneof(
          fc.constant(OFN),
          fc.webUrl(),
          fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
        ),
      },
      { requiredKeys: [] },
    ),
  },
);

const hostileUnit = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constant("\u0000") },
);
const anyJson = fc.jsonValue({ maxDepth: 4, stringUnit: hostileUnit });
const hostileText = fc.oneof(nastyString(120), fc.string({ unit: hostileUnit, maxLength: 30 }));
/** Short plausible text with a NUL or half a surrogate pair in it. */
const brokenText = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom("\u0000", "\ud800", "\udfff", "\udbff\u0041"),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, b, c]) => `${a}${b}${c}`);
const oddNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -1, 1, 6, 24, 168, 169, 1e308, -1e308, 2 ** 53 + 1),
);
const fieldValue = fc.oneof(hostileText, oddNumber, fc.boolean(), fc.constant(null), anyJson);

/** Each settings field with values that pass its checks, and values that should not. */
const FIELDS: Array<{ path: [string, ...string[]]; valid: fc.Arbitrary<unknown>; text?: boolean }> = [
  { path: ["sync", "consent"], valid: fc.constantFrom("subscribed", "double_opt_in", "non_marketing") },
  {
    path: ["sync", "requireTag"],
    valid: fc.oneof(fc.constant(null), fc.string({ maxLength: 20 })),
    text: true,
  },
  { path: ["sync", "goneCustomers"], valid: fc.constantFrom("keep", "remove_tag") },
  { path: ["sync", "mapping", "names"], valid: fc.boolean() },
  { path: ["sync", "mapping", "tagPrefix"], valid: fc.string({ maxLength: 10 }), text: true },
  { path: ["sync", "brevoTagMode"], valid: fc.constantFrom("attribute", "lists") },
  {
    path: ["sync", "brevoDoiTemplateId"],
    valid: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 1000 })),
  },
  { path: ["sync", "intervalHours"], valid: fc.integer({ min: 1, max: 168 }) },
  { path: ["sync", "cron"], valid: fc.constantFrom(null, "0 6 * * *", "*/30 * * * *"), text: true },
  { path: ["campaigns", "enabled"], valid: fc.boolean() },
  { path: ["campaigns", "delivery"], valid: fc.constantFrom("send_now", "schedule", "draft") },
  { path: ["campaigns", "delayMinutes"], valid: fc.integer({ min: 0, max: 10_080 }) },
  { path: ["campaigns", "lastCallHoursBefore"], valid: fc.integer({ min: 1, max: 168 }) },
  {
    path: ["campaigns", "recipientsTag"],
    valid: fc.oneof(fc.constant(null), fc.string({ maxLength: 20 })),
    text: true,
  },
  { path: ["campaigns", "fromName"], valid: fc.string({ maxLength: 50 }), text: true },
  { path: ["campaigns", "replyTo"], valid: fc.emailAddress(), text: true },
  { path: ["campaigns", "testEmails"], valid: fc.array(fc.emailAddress(), { maxLength: 3 }) },
  {
    path: ["campaigns", "excludedCoordinatorIds"],
    valid: fc.array(fc.integer({ min: 1, max: 1e6 }), { maxLength: 3 }),
  },
];

/**
 * Settings documents of one to three fields, each valid or not: mostly valid neighbours, so a
 * hostile value (text with NUL, half a surrogate pair, a huge number) gets as far as the database.
 */
const settingsPatch = fc
  .uniqueArray(fc.integer({ min: 0, max: FIELDS.length - 1 }), { minLength: 1, maxLength: 3 })
  .chain((indexes) =>
    fc.tuple(
      ...indexes.map((i) => {
        const field = FIELDS[i]!;
        const hostile = field.text ? fc.oneof(hostileText, fieldValue, brokenText) : fieldValue;
        return fc.tuple(
          fc.constant(field.path),
          fc.oneof({ weight: 1, arbitrary: field.valid }, { weight: 1, arbitrary: hostile }),
        );
      }),
    ),
  )
  .map((entries) => {
    const doc: Record<string, unknown> = {};
    for (const [path, value] of entries) {
      let node = doc;
      for (const key of path.slice(0, -1)) {
        node[key] ??= {};
        node = node[key] as Record<string, unknown>;
      }
      node[path.at(-1)!] = value;
    }
    return doc;
  });

/** A body as it travels: JSON of any value, a settings document, broken JSON, under some content type. */
const body = fc.oneof(
  { weight: 3, arbitrary: settingsPatch.map((v) => ({ text: JSON.stringify(v), type: "application/json" })) },
  { weight: 2, arbitrary: anyJson.map((v) => ({ text: JSON.stringify(v), type: "application/json" })) },
  {
    weight: 1,
    arbitrary: fc.record({
      text: fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.constantFrom("{", "[1,", '{"sync":', "nul\u0000l", "\ufeff{}", ""),
      ),
      type: fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "application/merge-patch+json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "",
      ),
    }),
  },
);

const query = fc.dictionary(
  fc.oneof(fc.constantFrom("limit", "q", "status", "page", "pageSize"), nastyString(10)),
  fc.oneof(hostileText, oddNumber.map(String), fc.constantFrom("active", "paused", "broken", "")),
  { maxKeys: 4 },
);

async function request(
  method: string,
  path: string,
  headers: Record<string, string>,
  sent?: { text: string; type: string },
) {
  const all: Record<string, string> = { "x-forwarded-for": `192.0.2.${(ipSeq++ % 250) + 1}`, ...headers };
  if (sent?.type) all["content-type"] = sent.type;
  return answerOf(
    await t.app.request(path, {
      method,
      headers: all,
      body: sent && method !== "GET" ? sent.text : undefined,
    }),
  );
}

describe("the JSON API under random input", () => {
  it("enumerates the routes it fuzzes from the app's route table", () => {
    const routes = apiRoutes().map((r) => `${r.method} ${r.path}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        "GET /api/v1/shops",
        "PATCH /api/v1/shops/:shopId/settings",
        "POST /api/v1/shops/:shopId/campaigns/:campaignId/retry",
      ]),
    );
    expect(routes.length).toBeGreaterThanOrEqual(13);
  });

  it("answers every route, whatever the parameters, query, body and credentials, with a success or a JSON 4xx", async () => {
    const routes = apiRoutes();
    const param = fc.oneof(
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 }).map((i) => shops[i]!.shopId) },
      { weight: 3, arbitrary: pathSegment },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        param,
        param,
        query,
        body,
        caller,
        async (route, a, b, q, sent, who) => {
          let n = 0;
          const path = route.path.replace(/:[A-Za-z]+/g, () => (n++ === 0 ? a : b));
          const search = new URLSearchParams(
            Object.fromEntries(
              Object.entries(q).map(([k, v]) => [Buffer.from(k).toString(), Buffer.from(v).toString()]),
            ),
          ).toString();
          const answer = await request(route.method, `${path}${search ? `?${search}` : ""}`, who, sent);
          expectJsonAnswer(answer, `${route.method} ${path}?${search} ${sent.text.slice(0, 200)}`);
        },
      ),
      { numRuns: 400 },
    );
  }, 120_000);

  it("answers settings documents with hostile values with 200 or a JSON 4xx, and a 200 reads back the same", async () => {
    await fc.assert(
      fc.asyncProperty(settingsPatch, fc.boolean(), async (patch, asShop) => {
        const shop = shops[0]!;
        const who: Record<string, string> = asShop
          ? { authorization: `Bearer ${shop.ofnApiKey}`, "x-ofn-instance": OFN }
          : { authorization: `Bearer ${ADMIN_TOKEN}` };
        const path = `/api/v1/shops/${shop.shopId}/settings`;
        const answer = await request("PATCH", path, who, {
          text: JSON.stringify(patch),
          type: "application/json",
        });
        expectJsonAnswer(answer, JSON.stringify(patch).slice(0, 300));
        if (answer.status === 200) {
          const read = await request("GET", path, who);
          expect(read.status).toBe(200);
          expect(JSON.parse(read.text)).toEqual(JSON.parse(answer.text));
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
