/**
 * Webhook URL tokens: found by their SHA-256 through an index (no comparison of secrets that could
 * leak by timing), stored only as that hash, and guessing is braked per client address: after 30
 * unknown tokens an address gets 429, while OFN at another address still delivers. Checked over
 * real sockets (the address the bridge sees is the peer's) and behind a trusted proxy, where the
 * client may write anything into X-Forwarded-For but only the proxy's own entry counts.
 */
import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { listenBridge } from "../campaigns/provider-world.js";
import { insertShop, nextCycleId, openedBody } from "../campaigns/support.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { hex } from "../support/ids.js";

const LIMIT = 30;

/** POSTs from a chosen local address: Linux routes all of 127.0.0.0/8 to the loopback. */
function postFrom(
  url: string,
  localAddress: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; retryAfter?: string; text: string }> {
  const target = new URL(path, url);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        localAddress,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(data),
          ...headers,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers["retry-after"] as string | undefined,
            text,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

const guess = () => hex(43).replace(/[0-9]/g, "x");
// A well-formed body (an event the bridge records and ignores): only the token decides the answer.
const bad = { id: "guess", event: "payment.completed", at: "2026-03-02 09:00:12 +0100", data: {} };

describe("webhook tokens over real sockets", () => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  let shop: Awaited<ReturnType<typeof insertShop>>;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: "false" });
    shop = await insertShop(t.database.db);
    server = await listenBridge(t.app);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it(`answers 429 to an address after ${LIMIT} unknown tokens, while OFN at another address still delivers`, async () => {
    const scanner = "127.0.0.2";
    for (let i = 0; i < LIMIT; i++) {
      const res = await postFrom(server.url, scanner, `/webhooks/ofn/${guess()}`, bad);
      expect(res.status, `guess ${i}`).toBe(404);
    }
    const blocked = await postFrom(server.url, scanner, `/webhooks/ofn/${guess()}`, bad);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(blocked.text).error.code).toBe("RATE_LIMITED");
    // Blocked means blocked: the scanner learns nothing more, even from a right token.
    expect((await postFrom(server.url, scanner, `/webhooks/ofn/${shop.token}`, bad)).status).toBe(429);

    const ofn = "127.0.0.3";
    const body = openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! });
    const delivered = await postFrom(server.url, ofn, `/webhooks/ofn/${shop.token}`, body);
    expect(delivered.status).toBe(200);
    expect(JSON.parse(delivered.text)).toEqual({ status: "accepted" });
  });

  it("never counts a known token, however often it is used", async () => {
    const ofn = "127.0.0.4";
    for (let i = 0; i < LIMIT + 5; i++) {
      const body = { id: `test-${i}`, event: "payment.completed", at: "x", data: {} };
      expect((await postFrom(server.url, ofn, `/webhooks/ofn/${shop.token}`, body)).status).toBe(200);
    }
  });

  it("stores only the token's SHA-256, nowhere the token itself, and finds the shop by that hash", async () => {
    const expected = createHash("sha256").update(shop.token, "utf8").digest("hex");
    const [row] = await queryRows<{ hash: string }>(
      t.database.db,
      sql`select webhook_token_hash as hash from shops where id = ${shop.shopId}::uuid`,
    );
    expect(row?.hash).toBe(expected);
    const columns = await queryRows<{ table_name: string; column_name: string }>(
      t.database.db,
      sql`select table_name, column_name from information_schema.columns
          where table_schema = 'public' and data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY')`,
    );
    for (const { table_name, column_name } of columns) {
      const hits = await queryRows<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from ${sql.identifier(table_name)}
            where ${sql.identifier(column_name)}::text like ${`%${shop.token}%`}`,
      );
      expect(hits[0]?.n, `${table_name}.${column_name}`).toBe(0);
    }
    // One character off is another hash: unknown, like any guess.
    const near = `${shop.token.slice(0, -1)}${shop.token.endsWith("A") ? "B" : "A"}`;
    expect((await postFrom(server.url, "127.0.0.5", `/webhooks/ofn/${near}`, bad)).status).toBe(404);
  });
});

describe("webhook tokens behind a trusted proxy", () => {
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof insertShop>>;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: "true" });
    shop = await insertShop(t.database.db);
  });
  afterAll(() => t.close());

  const post = (token: string, forwardedFor: string, body: unknown = bad) =>
    t.app.request(`/webhooks/ofn/${token}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
      body: JSON.stringify(body),
    });

  it("counts the address the proxy saw, not what the client wrote before it", async () => {
    const scanner = "198.51.100.77";
    // Each guess claims another origin; the proxy appends the address it really saw.
    for (let i = 0; i < LIMIT; i++) {
      expect((await post(guess(), `10.${i}.0.1, ${scanner}`)).status, `guess ${i}`).toBe(404);
    }
    const blocked = await post(guess(), `10.200.0.1, ${scanner}`);
    expect(blocked.status).toBe(429);
    // OFN behind the same proxy, at its own address, still gets through.
    const body = openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! });
    expect((await post(shop.token, "198.51.100.10", body)).status).toBe(200);
  });
});
