import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBrevoSimulator } from "../../src/sandbox/brevo.js";
import { startBrevoSimulator } from "../../src/sandbox/brevo.js";
import { brevoShop, contact, recordRequests, upstreamError } from "./brevo-harness.js";

let server: RunningBrevoSimulator;

beforeAll(async () => {
  server = await startBrevoSimulator({ importProcessingMs: 20 });
});
afterAll(async () => {
  await server.close();
});

describe("prepareFields", () => {
  it("creates OFN_CODE and OFN_TAGS as text attributes and reports every field usable", async () => {
    const shop = brevoShop(server);
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const attributes = server.sim.account(shop.apiKey).attributes;
    expect(attributes.get("OFN_CODE")).toEqual({ name: "OFN_CODE", category: "normal", type: "text" });
    expect(attributes.get("OFN_TAGS")).toEqual({ name: "OFN_TAGS", category: "normal", type: "text" });
    expect([...fields.available].sort()).toEqual(
      ["code", "email", "firstName", "lastName", "phone", "tags", "tagsAttribute"].sort(),
    );
    expect(fields.warnings).toEqual([]);
    // A second run finds them and creates nothing.
    await expect(shop.provider.prepareFields(shop.audienceId)).resolves.toMatchObject({ warnings: [] });
  });

  it("uses PRENOM / NOM on a French account and warns about what it cannot send", async () => {
    const shop = brevoShop(server, { attributes: [{ name: "NOM" }, { name: "PRENOM" }] });
    const fields = await shop.provider.prepareFields(shop.audienceId);
    expect(fields.available.has("firstName")).toBe(true);
    expect(fields.available.has("phone")).toBe(false);
    expect(fields.warnings).toEqual([
      expect.stringMatching(/no SMS text attribute, so phone numbers are not sent/),
    ]);

    await shop.provider.writeContacts(
      [
        contact("amy@example.org", {
          firstName: "Amy",
          lastName: "Martin",
          phone: "+33 6 12 34 56 78",
          code: "C1",
        }),
      ],
      fields,
      { audienceId: shop.audienceId, consent: "subscribed" },
    );
    const amy = server.sim.account(shop.apiKey).contacts.get("amy@example.org");
    expect(amy?.attributes).toEqual({ PRENOM: "Amy", NOM: "Martin", OFN_CODE: "C1" });
  });

  it("warns when the account has no first-name attribute at all", async () => {
    const shop = brevoShop(server, { attributes: [{ name: "LASTNAME" }, { name: "SMS" }] });
    const fields = await shop.provider.prepareFields(shop.audienceId);
    expect(fields.available.has("firstName")).toBe(false);
    expect(fields.warnings).toEqual([
      expect.stringMatching(/no FIRSTNAME \/ FNAME \/ PRENOM text attribute, so first names are not sent/),
    ]);
  });

  it("fails clearly when the chosen audience list was deleted in Brevo", async () => {
    const shop = brevoShop(server);
    server.sim.account(shop.apiKey).lists.delete(shop.listId);
    const error = await upstreamError(shop.provider.prepareFields(shop.audienceId));
    expect(error.options).toMatchObject({ permanent: true, providerCode: "audience_missing" });
    expect(error.message).toMatch(/no longer exists/);
  });
});

describe("attribute values", () => {
  it("sends names, code, comma-joined tags and an international phone; no EMAIL attribute", async () => {
    const shop = brevoShop(server);
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const outcomes = await shop.provider.writeContacts(
      [
        contact("amy@example.org", {
          firstName: "Amy",
          lastName: "Martin",
          phone: "+33 6 12 34 56 78",
          code: "C1,C7",
          tags: ["veg", "Green Farm"],
        }),
        contact("bob@example.org", { firstName: "Bob", phone: "0033 (6) 99.88.77.66" }),
      ],
      fields,
      { audienceId: shop.audienceId, consent: "subscribed" },
    );
    expect(outcomes).toEqual([
      { email: "amy@example.org", ok: true },
      { email: "bob@example.org", ok: true },
    ]);
    const contacts = server.sim.account(shop.apiKey).contacts;
    expect(contacts.get("amy@example.org")?.attributes).toEqual({
      FIRSTNAME: "Amy",
      LASTNAME: "Martin",
      SMS: "33612345678",
      OFN_CODE: "C1,C7",
      OFN_TAGS: "veg, Green Farm",
    });
    expect(contacts.get("bob@example.org")?.attributes).toEqual({ FIRSTNAME: "Bob", SMS: "33699887766" });
  });

  it("skips a phone without a country code, with no error for the contact", async () => {
    const shop = brevoShop(server);
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const wire = recordRequests();
    const outcomes = await shop.provider
      .writeContacts([contact("cyd@example.org", { firstName: "Cyd", phone: "06 12 34 56 78" })], fields, {
        audienceId: shop.audienceId,
        consent: "subscribed",
      })
      .finally(wire.stop);
    expect(outcomes).toEqual([{ email: "cyd@example.org", ok: true }]);
    // The simulator would drop a national number too: the row on the wire shows it was never sent.
    const imports = wire.sent.filter((r) => r.path === "/contacts/import");
    expect(imports.map((r) => (r.body as { jsonBody: unknown }).jsonBody)).toEqual([
      [{ email: "cyd@example.org", attributes: { FIRSTNAME: "Cyd" } }],
    ]);
    expect(server.sim.account(shop.apiKey).contacts.get("cyd@example.org")?.attributes).toEqual({
      FIRSTNAME: "Cyd",
    });
  });

  it("never wipes what Brevo holds with an empty value", async () => {
    const shop = brevoShop(server);
    server.sim.addContact(shop.apiKey, {
      email: "dee@example.org",
      attributes: { FIRSTNAME: "Dee", LASTNAME: "Old", SMS: "+33611111111" },
    });
    const fields = await shop.provider.prepareFields(shop.audienceId);
    await shop.provider.writeContacts([contact("dee@example.org", { lastName: "New" })], fields, {
      audienceId: shop.audienceId,
      consent: "subscribed",
    });
    expect(server.sim.account(shop.apiKey).contacts.get("dee@example.org")?.attributes).toEqual({
      FIRSTNAME: "Dee",
      LASTNAME: "New",
      SMS: "33611111111",
    });
  });

  it("reports an address Brevo finds invalid and a phone already used as permanent failures", async () => {
    const shop = brevoShop(server);
    server.sim.addContact(shop.apiKey, { email: "owner@example.org", attributes: { SMS: "+33622222222" } });
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const outcomes = await shop.provider.writeContacts(
      [
        contact("fine@example.org", { firstName: "Fine" }),
        contact("broken@nodot"),
        contact("twin@example.org", { phone: "+33 6 22 22 22 22" }),
      ],
      fields,
      { audienceId: shop.audienceId, consent: "subscribed" },
    );
    expect(outcomes).toEqual([
      { email: "fine@example.org", ok: true },
      {
        email: "broken@nodot",
        ok: false,
        permanent: true,
        error: "Brevo rejected this email address as invalid.",
      },
      {
        email: "twin@example.org",
        ok: false,
        permanent: true,
        error: expect.stringMatching(/phone number already belongs to another Brevo contact/),
      },
    ]);
    expect(server.sim.account(shop.apiKey).contacts.has("twin@example.org")).toBe(false);
  });
});
