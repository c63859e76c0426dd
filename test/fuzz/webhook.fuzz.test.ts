/**
 * Property-based tests of POST /webhooks/ofn/:token, the one route strangers can reach with a
 * body: random JSON, OFN-shaped bodies with hostile values, raw bytes (invalid UTF-8), any content
 * type, deep nesting, bodies around the 64 KB limit, random tokens. Whatever arrives, the answer
 * is 200 for what was recorded or a JSON 4xx in the shared error shape, never a 5xx; the process
 * keeps serving, and a real delivery still goes through afterwards.
 */
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookDeliveries } from "../../src/db/schema/index.js";
import { insertShop, nextCycleId, openedBody } from "../campaigns/support.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { answerOf, expectJsonAnswer, nastyString } from "./support.js";

let t: TestApp;
let shop: Awaited<ReturnType<typeof insertShop>>;
let ipSeq = 0;

beforeAll(async () => {
  // Each request its own client address, so the failed-lookup limiter never hides an answer.
  t = await createTestApp({ TRUST_PROXY: "true" });
  shop = await insertShop(t.database.db);
});
afterAll(() => t.close());

async function post(body: BodyInit, options: { token?: string; type?: string | null } = {}) {
  const headers: Record<string, string> = { "x-forwarded-for": `203.0.113.${(ipSeq++ % 250) + 1}` };
  if (options.type !== null) headers["content-type"] = options.type ?? "application/json";
  const res = await t.app.request(`/webhooks/ofn/${options.token ?? shop.token}`, {
    method: "POST",
    headers,
    body,
  });
  return answerOf(res);
}

/** Every string in a JSON value may be hostile: unicode, NUL, unpaired surrogates. */
const hostileUnit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constant("\u0000") },
);
const anyJson = fc.jsonValue({ maxDepth: 5, stringUnit: hostileUnit });

/** Bodies close to what OFN sends, each field possibly wrong, odd or hostile. */
const offsetInstant = fc
  .date({ min: new Date("1970-01-01"), max: new Date("2200-01-01"), noInvalidDate: true })
  .map((d) => d.toISOString().replace("Z", "+11:00"));
const ofnShaped = fc.record(
  {
    id: fc.oneof(fc.uuid(), nastyString(), fc.integer()),
    event: fc.oneof(fc.constant("order_cycle.opened"), fc.constant("payment.completed"), nastyString()),
    at: fc.oneof(fc.constant("2026-03-02 09:00:12 +0100"), nastyString()),
    data: fc.oneof(
      fc.record(
        {
          id: fc.oneof(fc.integer({ min: 1, max: 2_000_000_000 }), fc.integer(), nastyString()),
          name: nastyString(300),
          orders_open_at: fc.oneof(offsetInstant, nastyString(), fc.constant(null)),
          opened_at: fc.oneof(offsetInstant, nastyString()),
          orders_close_at: fc.oneof(offsetInstant, fc.constant(null), nastyString()),
          coordinator_id: fc.oneof(fc.integer({ min: 1, max: 2_000_000_000 }), fc.integer()),
          coordinator_name: nastyString(300),
        },
        { requiredKeys: [] },
      ),
      fc.dictionary(nastyString(20), anyJson, { maxKeys: 5 }),
      anyJson,
    ),
  },
  { requiredKeys: [] },
);

describe("POST /webhooks/ofn/:token under random input", () => {
  it("answers random JSON values with 200 or a JSON 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(anyJson, async (value) => {
        expectJsonAnswer(await post(JSON.stringify(value)), JSON.stringify(value).slice(0, 200));
      }),
      { numRuns: 150 },
    );
  });

  it("answers OFN-shaped bodies with hostile values (unicode, NUL, broken surrogates, wrong types)", async () => {
    await fc.assert(
      fc.asyncProperty(ofnShaped, async (body) => {
        const answer = await post(JSON.stringify(body));
        expectJsonAnswer(answer, JSON.stringify(body).slice(0, 300));
        // Whatever was answered 200 is stored.
        if (answer.status === 200) {
          const rows = await t.database.db
            .select({ deliveryId: webhookDeliveries.deliveryId })
            .from(webhookDeliveries)
            .where(eq(webhookDeliveries.shopId, shop.shopId));
          expect(rows.map((r) => r.deliveryId)).toContain(String(body.id).trim());
        }
      }),
      { numRuns: 200 },
    );
  });

  it("answers raw bytes (invalid UTF-8 included) under any content type with 200 or a JSON 4xx", async () => {
    const contentType = fc.oneof(
      fc.constantFrom(
        null,
        "application/json",
        "application/json; charset=latin1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "",
      ),
      fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    );
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      anyJson.map((v) => {
        // A valid body with a few bytes flipped into invalid UTF-8.
        const raw = Buffer.from(JSON.stringify(v));
        for (let i = 0; i < raw.length; i += 7) raw[i] = 0xff;
        return new Uint8Array(raw);
      }),
    );
    await fc.assert(
      fc.asyncProperty(bytes, contentType, async (body, type) => {
        expectJsonAnswer(
          await post(body, { type }),
          `${type} ${Buffer.from(body).toString("hex").slice(0, 80)}`,
        );
      }),
      { numRuns: 150 },
    );
  });

  it("answers deep nesting with 200 or 400, at every depth up to the size limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30_000 }),
        fc.constantFrom("[", '{"a":'),
        async (depth, open) => {
          const close = open === "[" ? "]" : "}";
          const deep = `${open.repeat(depth)}1${close.repeat(depth)}`;
          const body = `{"id":"deep-${depth}-${open.length}","event":"payment.completed","data":{"x":${deep}}}`;
          expectJsonAnswer(await post(body), `depth ${depth} ${open}`);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("refuses bodies over 64 KB with 413 and accepts a padded one just under it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -2_000, max: 200_000 }), async (extra) => {
        const pad = "x".repeat(Math.max(0, 64 * 1024 - 120 + extra));
        const body = JSON.stringify({ id: `big-${extra}`, event: "payment.completed", data: { pad } });
        const answer = await post(body);
        expectJsonAnswer(answer, `size ${body.length}`);
        expect(answer.status, `size ${Buffer.byteLength(body)}`).toBe(
          Buffer.byteLength(body) > 64 * 1024 ? 413 : 200,
        );
      }),
      { numRuns: 20 },
    );
  });

  it("answers random tokens with 404 (or 429 once an address guessed too often), never 5xx", async () => {
    const token = fc.oneof(
      fc.string({ minLength: 1, maxLength: 200 }),
      fc.string({ unit: "binary", minLength: 1, maxLength: 60 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{22,128}$/),
    );
    await fc.assert(
      fc.asyncProperty(token, async (raw) => {
        const answer = await post(JSON.stringify({ id: "x", event: "e", data: {} }), {
          token: encodeURIComponent(raw),
        });
        expectJsonAnswer(answer, `token ${JSON.stringify(raw)}`);
        if (raw !== shop.token) expect([404, 429], `token ${JSON.stringify(raw)}`).toContain(answer.status);
      }),
      { numRuns: 150 },
    );
  });

  it("still records a real delivery after all of that", async () => {
    const body = openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! });
    const answer = await post(JSON.stringify(body));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ status: "accepted" });
  });
});
