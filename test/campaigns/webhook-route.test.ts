import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDeliveries } from "../../src/campaigns/dashboard.js";
import { regenerateWebhookToken } from "../../src/campaigns/tokens.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { campaignsOf, deliveriesOf, insertShop, nextCycleId, openedBody, post } from "./support.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("POST /webhooks/ofn/:token", () => {
  it("accepts an order_cycle.opened and commits the campaign before answering", async () => {
    const shop = await insertShop(t.database.db);
    const response = await post(t.app)(
      shop.token,
      openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "accepted" });
    const rows = await campaignsOf(t.database.db, shop.shopId);
    expect(rows.map((row) => [row.kind, row.status])).toEqual([["announcement", "pending"]]);
  });

  it("answers 400 with a clear message for malformed JSON or a body that is not OFN's", async () => {
    const shop = await insertShop(t.database.db);
    const broken = await post(t.app)(shop.token, '{"id": "x", "event": ');
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toMatchObject({
      code: "VALIDATION",
      message: "The request body is not valid JSON.",
    });

    const body = openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! });
    const wrongDate = await post(t.app)(shop.token, {
      ...body,
      data: { ...body.data, opened_at: "2023-02-07 17:12:45 +1100" },
    });
    expect(wrongDate.status).toBe(400);
    expect((await wrongDate.json()).error.message).toMatch(/data\.opened_at: expected an ISO 8601 date-time/);

    const noEvent = await post(t.app)(shop.token, { id: "abc", data: {} });
    expect(noEvent.status).toBe(400);
    expect((await noEvent.json()).error.message).toMatch(/event/);
    expect(await campaignsOf(t.database.db, shop.shopId)).toHaveLength(0);
  });

  it("answers 413 to a body over 64 KB", async () => {
    const shop = await insertShop(t.database.db);
    const body = openedBody({
      cycleId: nextCycleId(),
      coordinatorId: shop.enterpriseIds[0]!,
      name: "x".repeat(65 * 1024),
    });
    const response = await post(t.app)(shop.token, body);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await deliveriesOf(t.database.db, shop.shopId)).toHaveLength(0);
  });

  it("answers 404 to an unknown or malformed token, and to the old token after a regeneration", async () => {
    const shop = await insertShop(t.database.db);
    const body = openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! });
    expect((await post(t.app)("A".repeat(43), body)).status).toBe(404);
    expect((await post(t.app)("short", body)).status).toBe(404);
    const { token } = await regenerateWebhookToken(
      { db: t.database.db, publicUrl: "https://bridge.test" },
      shop.shopId,
    );
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await post(t.app)(shop.token, body)).status).toBe(404);
    expect((await post(t.app)(token, body)).status).toBe(200);
  });

  it("records OFN's payment test button as ignored, shown as 'test received'", async () => {
    const shop = await insertShop(t.database.db);
    const response = await post(t.app)(shop.token, {
      id: "d7ab0c4e-5b1f-4d4e-9a57-0f4f2b1c9e11",
      event: "payment.completed",
      at: "2026-03-02 09:00:12 +0100",
      data: { payment: { amount: 0.0, state: "completed" }, enterprise: { name: "TEST Enterprise" } },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ignored" });
    const [delivery] = await listDeliveries({ db: t.database.db }, shop.shopId, { locale: "fr" });
    expect(delivery).toMatchObject({ event: "payment.completed", isTest: true, label: "Test reçu" });
    expect(await campaignsOf(t.database.db, shop.shopId)).toHaveLength(0);
  });

  it("accepts the URL with a trailing slash and never redirects", async () => {
    const shop = await insertShop(t.database.db);
    const body = openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! });
    const slash = await post(t.app)(shop.token, body, `/webhooks/ofn/${shop.token}/`);
    expect(slash.status).toBe(200);
    const get = await t.app.request(`/webhooks/ofn/${shop.token}`);
    expect(get.status).toBe(404);
    expect(get.headers.get("location")).toBeNull();
  });

  it("never writes the token into the request log", async () => {
    const shop = await insertShop(t.database.db);
    await post(t.app)(
      shop.token,
      openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]! }),
    );
    expect(t.logs.text()).not.toContain(shop.token);
  });
});

describe("failed token lookups", () => {
  it("are limited per address: after 30 unknown tokens the address gets 429", async () => {
    const own = await createTestApp();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        statuses.push(
          (await post(own.app)(`unknown-token-${i}-${"x".repeat(30)}`, { id: "1", event: "e", data: {} }))
            .status,
        );
      }
      expect(statuses.every((status) => status === 404)).toBe(true);
      const blocked = await post(own.app)("y".repeat(43), { id: "1", event: "e", data: {} });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await own.close();
    }
  });
});

describe("POST /webhooks/ofn/:token over a real socket (the body read from Node's request)", () => {
  let server: ReturnType<typeof serve>;
  let port = 0;
  beforeAll(async () => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((ready) => server.once("listening", ready));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  /** Sends `chunks` one write each; with `chunked` no Content-Length is declared. */
  const send = (token: string, chunks: string[], chunked: boolean) =>
    new Promise<{ status: number; body: string }>((done, fail) => {
      const length = chunks.reduce((n, chunk) => n + Buffer.byteLength(chunk), 0);
      const request = http.request(
        {
          host: "127.0.0.1",
          port,
          path: `/webhooks/ofn/${token}`,
          method: "POST",
          agent: false,
          headers: chunked
            ? { "content-type": "application/json", "transfer-encoding": "chunked" }
            : { "content-type": "application/json", "content-length": String(length) },
        },
        (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (part: string) => {
            body += part;
          });
          response.on("end", () => done({ status: response.statusCode ?? 0, body }));
        },
      );
      // A refused body may end the connection while chunks are still going out.
      request.on("error", fail);
      for (const chunk of chunks) request.write(chunk);
      request.end();
    });

  it("accepts a delivery sent in chunks without a Content-Length, and a UTF-8 BOM before it", async () => {
    const shop = await insertShop(t.database.db);
    const body = JSON.stringify(
      openedBody({ cycleId: nextCycleId(), coordinatorId: shop.enterpriseIds[0]!, name: "Légumes été" }),
    );
    const answer = await send(
      shop.token,
      [`\uFEFF${body.slice(0, 40)}`, body.slice(40, 41), body.slice(41)],
      true,
    );
    expect(answer).toEqual({ status: 200, body: JSON.stringify({ status: "accepted" }) });
    const rows = await campaignsOf(t.database.db, shop.shopId);
    expect(rows.map((row) => [row.kind, (row.orderCycle as { name: string }).name])).toEqual([
      ["announcement", "Légumes été"],
    ]);
  });

  it("answers 413 past 64 KB, declared or streamed, and stores nothing", async () => {
    const shop = await insertShop(t.database.db);
    const big = JSON.stringify(
      openedBody({
        cycleId: nextCycleId(),
        coordinatorId: shop.enterpriseIds[0]!,
        name: "x".repeat(65 * 1024),
      }),
    );
    const declared = await send(shop.token, [big], false);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.code).toBe("PAYLOAD_TOO_LARGE");
    const streamed = await send(
      shop.token,
      [big.slice(0, 30_000), big.slice(30_000, 60_000), big.slice(60_000)],
      true,
    );
    expect(streamed.status).toBe(413);
    expect(await deliveriesOf(t.database.db, shop.shopId)).toHaveLength(0);

    // OFN's test event padded to just under the limit: read whole, recorded as ignored.
    const justUnder = JSON.stringify({
      id: "padded-test-event",
      event: "payment.completed",
      data: { pad: "x".repeat(64 * 1024 - 80) },
    });
    expect(Buffer.byteLength(justUnder)).toBeLessThanOrEqual(64 * 1024);
    expect(await send(shop.token, [justUnder.slice(0, 5_000), justUnder.slice(5_000)], true)).toEqual({
      status: 200,
      body: JSON.stringify({ status: "ignored" }),
    });
  });
});
