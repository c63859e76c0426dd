/** Pasting the OFN key: each way it can go wrong says what to do; signing in again finds the same shop. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions, shops } from "../../src/db/schema/index.js";
import { hashSessionToken } from "../../src/web/session.js";
import { Client, createWebWorld, hex, seedShop, textOf, type WebWorld } from "./harness.js";

const SESSION = "__Host-bridge_session";

describe("OFN key step", () => {
  let world: WebWorld;
  beforeAll(async () => {
    world = await createWebWorld();
  });
  afterAll(() => world.close());

  async function paste(client: Client, key: string) {
    const form = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    return client.post("/setup/key", { instance: world.ofnUrl, ofn_key: key }, { from: form });
  }

  const dfcRequests = () => world.ofn.controls.countRequests({ pathPrefix: "/api/dfc/organizations" });

  it("says the field is empty, in English and in French, without asking OFN", async () => {
    const before = dfcRequests();
    const en = await paste(new Client(world, "en"), "   ");
    expect(en.status).toBe(400);
    expect(textOf(en.html)).toContain("The key field is empty. Paste your OFN API key.");
    expect(en.html).toContain('<a href="#ofn_key">');
    expect(en.html).toMatch(/<title>Error: /);
    const fr = await paste(new Client(world, "fr"), "");
    expect(textOf(fr.html)).toContain("Le champ de la clé est vide. Collez votre clé d'API OFN.");
    expect(dfcRequests()).toBe(before);
  });

  it("says a malformed key is not an OFN key and never sends it", async () => {
    const before = dfcRequests();
    const key = `${hex(40)}zzzz`;
    const res = await paste(new Client(world, "en"), key);
    expect(res.status).toBe(400);
    expect(textOf(res.html)).toContain("This is not an OFN API key: it must be 48 characters");
    expect(res.html).not.toContain(key);
    expect(dfcRequests()).toBe(before);
    const fr = await paste(new Client(world, "fr"), hex(47));
    expect(textOf(fr.html)).toContain("Ce n'est pas une clé d'API OFN");
  });

  it("says OFN refused a wrong or revoked key, and never echoes or logs it", async () => {
    const wrong = hex(48);
    const res = await paste(new Client(world, "en"), wrong);
    expect(res.status).toBe(400);
    const host = new URL(world.ofnUrl).host;
    expect(textOf(res.html)).toContain(
      `${host} did not accept this key. It may be mistyped, or it was regenerated.`,
    );
    expect(res.html).not.toContain(wrong);
    expect(res.html).toContain('value=""');

    const seeded = seedShop(world, 1);
    world.ofn.replaceApiKey(seeded.ofnKey);
    const revoked = await paste(new Client(world, "fr"), seeded.ofnKey);
    expect(textOf(revoked.html)).toContain(`${host} n'a pas accepté cette clé`);
    expect(world.t.logs.text()).not.toContain(wrong);
    expect(world.t.logs.text()).not.toContain(seeded.ofnKey);
  });

  it("says OFN could not be reached when it is down", async () => {
    const seeded = seedShop(world, 1);
    world.ofn.controls.addFault({
      pathPrefix: "/api/dfc/organizations",
      status: 503,
      body: null,
      remaining: 5,
    });
    const res = await paste(new Client(world, "en"), seeded.ofnKey);
    world.ofn.controls.faults = [];
    expect(res.status).toBe(502);
    expect(textOf(res.html)).toContain(
      "could not be reached, so the key was not checked. Try again in a few minutes.",
    );
    expect(res.setCookies.some((line) => line.startsWith(SESSION))).toBe(false);
  });

  it("sends an unknown instance back to the instance choice", async () => {
    const res = await new Client(world).get("/setup/key?instance=https%3A%2F%2Fevil.example");
    expect(res.status).toBe(303);
    expect(res.location).toBe("/setup/instance?error=instance");
    const page = await new Client(world).get(res.location!);
    expect(textOf(page.html)).toContain("Choose one of the OFN sites in the list.");
  });

  it("signs in again with the same key: same shop, a new session id, the old one dead", async () => {
    const seeded = seedShop(world, 1);
    const client = new Client(world, "en");
    const first = await paste(client, seeded.ofnKey);
    expect(first.status).toBe(303);
    const firstToken = client.cookies.get(SESSION)!;
    expect(firstToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const again = await paste(client, seeded.ofnKey.toUpperCase());
    expect(again.status).toBe(303);
    const secondToken = client.cookies.get(SESSION)!;
    expect(secondToken).not.toBe(firstToken);

    const db = world.t.deps.database.db;
    const matching = await db
      .select()
      .from(shops)
      .where(eq(shops.ofnApiKeyLast4, seeded.ofnKey.slice(-4)));
    expect(matching).toHaveLength(1);
    expect(
      await db
        .select()
        .from(sessions)
        .where(eq(sessions.idHash, hashSessionToken(firstToken))),
    ).toHaveLength(0);
    const [row] = await db
      .select()
      .from(sessions)
      .where(eq(sessions.idHash, hashSessionToken(secondToken)));
    expect(row?.shopId).toBe(matching[0]!.id);

    // A stolen copy of the first cookie gets nothing.
    const thief = new Client(world, "en");
    thief.cookies.set(SESSION, firstToken);
    const denied = await thief.get("/dashboard");
    expect(denied.status).toBe(303);
    expect(denied.location).toBe("/setup/instance?signin=1");
  });

  it("limits key pastes per client address", async () => {
    const client = new Client(world, "en");
    const form = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    for (let i = 0; i < 10; i++) {
      const res = await client.post(
        "/setup/key",
        { instance: world.ofnUrl, ofn_key: "nope" },
        { from: form },
      );
      expect(res.status).toBe(400);
    }
    const limited = await client.post(
      "/setup/key",
      { instance: world.ofnUrl, ofn_key: "nope" },
      { from: form },
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(textOf(limited.html)).toContain(
      "Too many attempts to paste a key from your connection. Wait 15 minutes",
    );
    // Another address is not affected.
    const other = new Client(world, "fr");
    const otherForm = await other.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    expect(
      (await other.post("/setup/key", { instance: world.ofnUrl, ofn_key: "nope" }, { from: otherForm }))
        .status,
    ).toBe(400);
  });
});
