/** Pasting the Mailchimp or Brevo key: a crafted Mailchimp key never leaves, a refused key says what to do. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerConnections, shops } from "../../src/db/schema/index.js";
import { Client, createWebWorld, hex, type SeededShop, seedShop, textOf, type WebWorld } from "./harness.js";

describe("provider key step", () => {
  let world: WebWorld;
  beforeAll(async () => {
    world = await createWebWorld();
  });
  afterAll(() => world.close());

  async function signedIn(lang: "en" | "fr" = "en"): Promise<{ client: Client; seeded: SeededShop }> {
    const seeded = seedShop(world, 1);
    const client = new Client(world, lang);
    const form = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    await client.submit("/setup/key", { instance: world.ofnUrl, ofn_key: seeded.ofnKey }, form);
    return { client, seeded };
  }

  async function connectionOf(seeded: SeededShop) {
    const db = world.t.deps.database.db;
    const [shop] = await db
      .select()
      .from(shops)
      .where(eq(shops.ofnApiKeyLast4, seeded.ofnKey.slice(-4)));
    const [row] = await db.select().from(providerConnections).where(eq(providerConnections.shopId, shop!.id));
    return row;
  }

  it("rejects a Mailchimp key whose datacenter is a hostname, with no request at all", async () => {
    const { client, seeded } = await signedIn();
    const form = await client.get("/setup/provider/key?provider=mailchimp");
    const before = world.mailchimp.controls.requests.length;
    const crafted = "0123456789abcdef0123456789abcdef-us1.evil.example";
    const res = await client.post(
      "/setup/provider/key",
      { provider: "mailchimp", provider_key: crafted },
      { from: form },
    );
    expect(res.status).toBe(400);
    expect(textOf(res.html)).toContain(
      "This is not a Mailchimp API key. Copy the whole key again; nothing was sent to Mailchimp.",
    );
    expect(res.html).not.toContain(crafted);
    expect(world.mailchimp.controls.requests.length).toBe(before);
    for (const other of [
      "0123456789abcdef0123456789abcdef-us21/x",
      "0123456789abcdef0123456789abcdef-US21",
      "nodash",
    ]) {
      const again = await client.post(
        "/setup/provider/key",
        { provider: "mailchimp", provider_key: other },
        { from: form },
      );
      expect(again.status).toBe(400);
    }
    expect(world.mailchimp.controls.requests.length).toBe(before);
    expect(await connectionOf(seeded)).toBeUndefined();
  });

  it("says Mailchimp refused an unknown key, in French", async () => {
    const { client } = await signedIn("fr");
    const form = await client.get("/setup/provider/key?provider=mailchimp");
    const unknown = `${hex(32)}-us21`;
    const res = await client.post(
      "/setup/provider/key",
      { provider: "mailchimp", provider_key: unknown },
      { from: form },
    );
    expect(res.status).toBe(400);
    expect(textOf(res.html)).toContain("Mailchimp n'a pas accepté cette clé");
    expect(res.html).not.toContain(unknown);
  });

  it("says Brevo refused a wrong key and that an empty field is empty", async () => {
    const { client } = await signedIn();
    const form = await client.get("/setup/provider/key?provider=brevo");
    const refused = await client.post(
      "/setup/provider/key",
      { provider: "brevo", provider_key: `xkeysib-${hex(64)}-abcdefghijklmnop` },
      { from: form },
    );
    expect(refused.status).toBe(400);
    expect(textOf(refused.html)).toContain("Brevo did not accept this key.");
    const blank = await client.post(
      "/setup/provider/key",
      { provider: "brevo", provider_key: "" },
      { from: form },
    );
    expect(textOf(blank.html)).toContain("The key field is empty. Paste your Brevo API key.");
  });

  it("says Brevo could not be reached when it is down", async () => {
    const { client, seeded } = await signedIn();
    const form = await client.get("/setup/provider/key?provider=brevo");
    world.brevo.controls.addFault({ pathPrefix: "/account", status: 503, remaining: 20 });
    const res = await client.post(
      "/setup/provider/key",
      { provider: "brevo", provider_key: seeded.brevoKey },
      { from: form },
    );
    world.brevo.controls.faults = [];
    expect(res.status).toBe(502);
    expect(textOf(res.html)).toContain("Brevo could not be reached, so the key was not checked.");
  });

  it("stores only the last 4 characters in sight and keeps the key out of pages and logs", async () => {
    const { client, seeded } = await signedIn();
    const form = await client.get("/setup/provider/key?provider=brevo");
    const audience = await client.submit(
      "/setup/provider/key",
      { provider: "brevo", provider_key: seeded.brevoKey },
      form,
    );
    expect(audience.status).toBe(200);
    const row = await connectionOf(seeded);
    expect(row?.apiKeyLast4).toBe(seeded.brevoKey.slice(-4));
    expect(row?.apiKeySealed).not.toContain(seeded.brevoKey);
    const again = await client.get("/setup/provider/key?provider=brevo");
    expect(textOf(again.html)).toContain(`A Brevo key ending in …${seeded.brevoKey.slice(-4)} is saved.`);
    expect(again.html).not.toContain(seeded.brevoKey);
    expect(world.t.logs.text()).not.toContain(seeded.brevoKey);
  });
});
