/**
 * Tenant isolation over every route of the app (DESIGN.md invariant 4). The routes are read from
 * the Hono app itself (`app.routes`), so a route added tomorrow is covered, and a path parameter
 * nobody has classified fails the test. For every route with a shop-owned id, shop A's session
 * (pages) or API key (JSON API) is pointed at shop B's ids: the answer is 404, exactly as for an
 * id that does not exist (403 on operator-only API routes, the sign-in redirect or a refused form
 * on the admin), it shows nothing of B, and B's rows are byte for byte what they were.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns, webhookDeliveries } from "../../src/db/schema/index.js";
import { apiRouteList } from "../../src/web/api/index.js";
import { ADMIN_TOKEN } from "../admin/support.js";
import { createWebWorld, type WebWorld } from "../web/harness.js";
import { type SignedInShop, shopSnapshot, signedInShop } from "./support.js";

/** Path parameters that name something one shop owns. */
const SHOP_OWNED = new Set(["shopId", "runId", "campaignId", "id"]);
/** Path parameters that are not a shop's id: the webhook token is itself the credential. */
const NOT_SHOP_IDS = new Set(["token", "name", "locale"]);

let world: WebWorld;
let a: SignedInShop;
let b: SignedInShop & { runId: string; campaignId: string };

beforeAll(async () => {
  world = await createWebWorld({ ADMIN_TOKEN });
  a = await signedInShop(world);
  const shopB = await signedInShop(world, "brevo");
  // B owns a sync run, a failed campaign (the kind "retry" acts on) and a webhook delivery.
  const queued = await shopB.client.post("/dashboard/sync", {}, { from: shopB.dashboard });
  expect(queued.status).toBe(303);
  const runId = queued.location!.split("/").pop()!;
  const db = world.t.deps.database.db;
  const [campaign] = await db
    .insert(campaigns)
    .values({
      shopId: shopB.shopId,
      orderCycleId: 77,
      openedAt: new Date(),
      orderCycle: { name: "Cycle of shop B" },
      status: "failed",
      errorMessage: "B's own failure",
    })
    .returning({ id: campaigns.id });
  await db.insert(webhookDeliveries).values({
    shopId: shopB.shopId,
    deliveryId: "b-delivery",
    event: "payment.completed",
    payload: {},
    outcome: "ignored",
  });
  b = { ...shopB, runId, campaignId: campaign!.id };
}, 60_000);
afterAll(() => world.close());

interface Attempt {
  method: string;
  path: string;
  route: string;
}

/** Every way to put B's ids into a route: all of them B's, or B's beside A's own shop id. */
function attemptsFor(method: string, route: string): Attempt[] {
  const names = [...route.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  const idOfB = (name: string) => (name === "shopId" ? b.shopId : name === "runId" ? b.runId : b.campaignId);
  const fill = (choose: (name: string) => string) =>
    route.replace(/:([A-Za-z]+)/g, (_m, name: string) => choose(name));
  const all = [{ method, route, path: fill(idOfB) }];
  if (names.includes("shopId") && names.length > 1) {
    all.push({ method, route, path: fill((name) => (name === "shopId" ? a.shopId : idOfB(name))) });
  }
  return all;
}

async function send(attempt: Attempt): Promise<Response> {
  const headers: Record<string, string> = { "x-forwarded-for": a.client.ip };
  let body: string | undefined;
  if (attempt.path.startsWith("/api/")) {
    headers.authorization = `Bearer ${a.seeded.ofnKey}`;
    headers["x-ofn-instance"] = world.ofnUrl;
    if (attempt.method === "PATCH") {
      headers["content-type"] = "application/json";
      body = JSON.stringify({ campaigns: { enabled: false } });
    }
  } else {
    headers.cookie = [...a.client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (attempt.method !== "GET") {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams({ _csrf: a.csrf, confirm: "yes" }).toString();
    }
  }
  return world.t.app.request(attempt.path, { method: attempt.method, headers, body });
}

describe("shop A against shop B's ids, on every route", () => {
  it("classifies every path parameter of the app", () => {
    const unknown = world.t.app.routes
      .flatMap((r) => [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => `${r.path} :${m[1]}`))
      .filter((entry) => {
        const name = entry.split(":").pop()!;
        return !SHOP_OWNED.has(name) && !NOT_SHOP_IDS.has(name);
      });
    expect(unknown).toEqual([]);
  });

  it("answers 404 (or refuses) everywhere, shows nothing of B and changes none of B's rows", async () => {
    const access = new Map(
      apiRouteList(world.t.deps).map((r) => [`${r.method.toUpperCase()} /api/v1${r.path}`, r.access]),
    );
    const routes = [
      ...new Map(
        world.t.app.routes
          .filter(
            (r) =>
              r.method !== "ALL" && [...r.path.matchAll(/:([A-Za-z]+)/g)].some((m) => SHOP_OWNED.has(m[1]!)),
          )
          .map((r) => [`${r.method} ${r.path}`, r]),
      ).values(),
    ];
    const attempts = routes.flatMap((r) => attemptsFor(r.method, r.path));
    // The API, the dashboard and the admin all have routes with shop-owned ids.
    expect(new Set(attempts.map((x) => x.path.split("/")[1]))).toEqual(
      new Set(["api", "dashboard", "admin"]),
    );
    expect(attempts.length).toBeGreaterThanOrEqual(20);

    const before = await shopSnapshot(world, b.shopId);
    const secretsOfB = [
      b.name,
      b.seeded.sender,
      b.seeded.enterprises[0]!.name,
      "Cycle of shop B",
      "B&#39;s own failure",
      "b-delivery",
    ];
    for (const attempt of attempts) {
      const res = await send(attempt);
      const text = await res.text();
      const label = `${attempt.method} ${attempt.path}`;
      if (attempt.route.startsWith("/api/")) {
        const expected = access.get(`${attempt.method} ${attempt.route}`) === "operator" ? 403 : 404;
        expect(res.status, `${label}: ${text}`).toBe(expected);
        expect(JSON.parse(text).error.code, label).toBe(expected === 403 ? "FORBIDDEN" : "NOT_FOUND");
      } else if (attempt.route.startsWith("/admin")) {
        // A shop's session is no admin session: the sign-in page, or a refused form.
        if (attempt.method === "GET") {
          expect(res.status, label).toBe(303);
          expect(res.headers.get("location"), label).toBe("/admin/login");
        } else expect(res.status, label).toBe(403);
      } else {
        expect(res.status, `${label}: ${text.slice(0, 300)}`).toBe(404);
        expect(text, label).toContain('id="error-title"');
      }
      for (const secret of secretsOfB) expect(text, `${label} shows ${secret}`).not.toContain(secret);
      for (const id of [b.shopId, b.runId, b.campaignId]) {
        // Not even echoed back: an answer about an id of B says nothing B-specific.
        expect(text, `${label} echoes ${id}`).not.toContain(id);
      }
    }
    expect(await shopSnapshot(world, b.shopId)).toBe(before);
  }, 60_000);

  it("shows A only its own data on every page and API read without an id", async () => {
    const paths = [
      ...new Set(
        world.t.app.routes
          .filter(
            (r) =>
              r.method === "GET" &&
              !r.path.includes(":") &&
              /^\/(dashboard|setup|api\/v1)(\/|$)/.test(r.path),
          )
          .map((r) => r.path),
      ),
    ];
    expect(paths).toEqual(expect.arrayContaining(["/dashboard", "/setup/template", "/api/v1/me"]));
    const before = await shopSnapshot(world, b.shopId);
    for (const path of paths) {
      const res = await send({ method: "GET", path, route: path });
      const text = await res.text();
      expect(res.status, `${path}: ${text.slice(0, 200)}`).toBeLessThan(500);
      for (const secret of [b.shopId, b.name, b.seeded.sender, "Cycle of shop B", b.seeded.listName]) {
        expect(text, `${path} shows ${secret}`).not.toContain(secret);
      }
    }
    expect(await shopSnapshot(world, b.shopId)).toBe(before);
  });
});
