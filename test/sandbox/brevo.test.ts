import { Brevo, BrevoClient } from "@getbrevo/brevo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBrevoSimulator } from "../../src/sandbox/brevo.js";
import { startBrevoSimulator } from "../../src/sandbox/brevo.js";
import { responseViolations } from "../support/openapi-contract.js";
import { brevoError, newShop } from "./brevo.fixtures.js";

const SPEC = "brevo-api-v3.yml";
let server: RunningBrevoSimulator;

beforeAll(async () => {
  server = await startBrevoSimulator();
});
afterAll(async () => {
  await server.close();
});

const shop = (input = {}) => newShop(server.sim, server.basePath, input);

describe("authentication", () => {
  it("answers 401 Key not found for an unknown key and for none", async () => {
    shop();
    const stranger = new BrevoClient({ apiKey: "xkeysib-unknown", baseUrl: server.basePath, maxRetries: 0 });
    const error = await brevoError(stranger.contacts.getLists());
    // getLists declares no 401, so the SDK throws its base class: switch on statusCode.
    expect(error.statusCode).toBe(401);
    expect(error).not.toBeInstanceOf(Brevo.UnauthorizedError);
    expect(error.body).toEqual({ code: "unauthorized", message: "Key not found" });

    const bare = await fetch(`${server.basePath}/account`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toEqual({ code: "unauthorized", message: "Key not found" });
  });
});

describe("account and lists", () => {
  it("returns the account with its plan and credits, matching the spec", async () => {
    const { client } = shop({ email: "owner@farm.example.org", companyName: "Farm", emailCredits: 120 });
    const account = await client.account.getAccount();
    expect(account).toMatchObject({ email: "owner@farm.example.org", companyName: "Farm" });
    expect(account.plan).toEqual([{ type: "free", creditsType: "sendLimit", credits: 120 }]);
    expect(responseViolations(SPEC, "get", "/account", 200, account)).toEqual([]);
  });

  it("creates lists in a folder, pages them and refuses more than 50 per page", async () => {
    const { client } = shop();
    const created = await client.contacts.createList({ name: "Shop customers", folderId: 1 });
    expect(responseViolations(SPEC, "post", "/contacts/lists", 201, created)).toEqual([]);
    const lists = await client.contacts.getLists({ limit: 50 });
    expect(lists.lists).toEqual([
      expect.objectContaining({ id: created.id, name: "Shop customers", folderId: 1 }),
    ]);
    expect(responseViolations(SPEC, "get", "/contacts/lists", 200, lists)).toEqual([]);
    const list = await client.contacts.getList({ listId: created.id });
    expect(responseViolations(SPEC, "get", "/contacts/lists/{listId}", 200, list)).toEqual([]);

    const tooMany = await brevoError(client.contacts.getLists({ limit: 51 }));
    expect(tooMany.statusCode).toBe(400);
    expect(responseViolations(SPEC, "get", "/contacts/lists", 400, tooMany.body)).toEqual([]);
    const missing = await brevoError(client.contacts.getList({ listId: 999 }));
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toMatchObject({ code: "document_not_found" });
  });

  it("adds and removes list members by email, reporting unknown addresses", async () => {
    const { client, apiKey } = shop();
    const list = server.sim.addList(apiKey, { name: "Weekly" });
    server.sim.addContact(apiKey, { email: "ann@example.org" });
    const added = await client.contacts.addContactToList({
      listId: list.id,
      body: { emails: ["ann@example.org", "nobody@example.org"] },
    });
    expect(added.contacts).toEqual({ success: ["ann@example.org"], failure: ["nobody@example.org"] });
    const members = await client.contacts.getContactsFromList({ listId: list.id });
    expect(members.contacts.map((c) => c.email)).toEqual(["ann@example.org"]);
    expect(responseViolations(SPEC, "get", "/contacts/lists/{listId}/contacts", 200, members)).toEqual([]);
    await client.contacts.removeContactFromList({ listId: list.id, body: { emails: ["ann@example.org"] } });
    expect(server.sim.account(apiKey).contacts.get("ann@example.org")?.listIds).toEqual([]);
  });
});

describe("contacts", () => {
  it("creates (201 {id}), upserts with updateEnabled (204) and refuses a duplicate without it", async () => {
    const { client, apiKey } = shop();
    const created = await client.contacts.createContact({
      email: "Bea@Example.org",
      attributes: { FIRSTNAME: "Bea" },
    });
    expect(created).toEqual({ id: expect.any(Number) });
    expect(responseViolations(SPEC, "post", "/contacts", 201, created)).toEqual([]);

    const upserted = await client.contacts.createContact({
      email: "bea@example.org",
      updateEnabled: true,
      attributes: { LASTNAME: "Baker" },
    });
    expect(upserted).toBeUndefined();

    const duplicate = await brevoError(client.contacts.createContact({ email: "bea@example.org" }));
    expect(duplicate).toBeInstanceOf(Brevo.BadRequestError);
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.body).toEqual({
      code: "duplicate_parameter",
      message: "Unable to create contact, email is already associated with another Contact",
      metadata: { duplicate_identifiers: ["email"] },
    });
    expect(responseViolations(SPEC, "post", "/contacts", 400, duplicate.body)).toEqual([]);
    expect(server.sim.account(apiKey).contacts.get("bea@example.org")?.attributes).toEqual({
      FIRSTNAME: "Bea",
      LASTNAME: "Baker",
    });
  });

  it("rejects an SMS without country code and an SMS another contact owns", async () => {
    const { client } = shop();
    const national = await brevoError(
      client.contacts.createContact({ email: "cal@example.org", attributes: { SMS: "0612345678" } }),
    );
    expect(national.statusCode).toBe(400);
    expect(national.body).toMatchObject({ code: "invalid_parameter", message: "Invalid phone number" });

    await client.contacts.createContact({ email: "cal@example.org", attributes: { SMS: "+33612345678" } });
    const taken = await brevoError(
      client.contacts.createContact({ email: "dee@example.org", attributes: { SMS: "0033612345678" } }),
    );
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toMatchObject({ code: "duplicate_parameter" });
  });

  it("silently drops attributes the account does not define", async () => {
    const { client } = shop();
    await client.contacts.createContact({
      email: "eve@example.org",
      attributes: { FNAME: "Eve", FIRSTNAME: "Eve" },
    });
    const contact = await client.contacts.getContactInfo({ identifier: "eve@example.org" });
    expect(contact.attributes).toEqual({ FIRSTNAME: "Eve" });
    expect(responseViolations(SPEC, "get", "/contacts/{identifier}", 200, contact)).toEqual([]);

    const attributes = await client.contacts.getAttributes();
    expect(attributes.attributes?.map((a) => a.name)).toEqual(
      expect.arrayContaining(["FIRSTNAME", "LASTNAME", "SMS"]),
    );
    await client.contacts.createAttribute({
      attributeCategory: "normal",
      attributeName: "FNAME",
      type: "text",
    });
    await client.contacts.updateContact({ identifier: "eve@example.org", attributes: { FNAME: "Eve" } });
    const after = await client.contacts.getContactInfo({ identifier: "eve@example.org" });
    expect(after.attributes).toEqual({ FIRSTNAME: "Eve", FNAME: "Eve" });
  });

  it("answers 404 document_not_found for an unknown contact", async () => {
    const { client } = shop();
    const error = await brevoError(client.contacts.getContactInfo({ identifier: "ghost@example.org" }));
    expect(error.statusCode).toBe(404);
    expect(error.body).toEqual({ code: "document_not_found", message: "Contact does not exist" });
    expect(responseViolations(SPEC, "get", "/contacts/{identifier}", 404, error.body)).toEqual([]);
  });
});

describe("the blocklist trap", () => {
  it("keeps an unsubscribed contact blocked when a write omits emailBlacklisted", async () => {
    const { client, apiKey } = shop();
    server.sim.addContact(apiKey, { email: "fay@example.org" });
    server.sim.blocklist(apiKey, "fay@example.org");
    await client.contacts.updateContact({ identifier: "fay@example.org", attributes: { FIRSTNAME: "Fay" } });
    await client.contacts.createContact({
      email: "fay@example.org",
      updateEnabled: true,
      attributes: { LASTNAME: "F" },
    });
    await client.contacts
      .updateBatchContacts({ contacts: [{ email: "fay@example.org", attributes: { SMS: "+3361" } }] })
      .catch(() => undefined);
    const account = server.sim.account(apiKey);
    expect(account.contacts.get("fay@example.org")?.emailBlacklisted).toBe(true);
    expect(account.unblockedByApi).toEqual([]);
  });

  it.each([
    [
      "PUT /contacts/{identifier}",
      (c: BrevoClient) =>
        c.contacts.updateContact({ identifier: "gus@example.org", emailBlacklisted: false }),
    ],
    [
      "POST /contacts",
      (c: BrevoClient) =>
        c.contacts.createContact({ email: "gus@example.org", updateEnabled: true, emailBlacklisted: false }),
    ],
    [
      "POST /contacts/batch",
      (c: BrevoClient) =>
        c.contacts.updateBatchContacts({ contacts: [{ email: "gus@example.org", emailBlacklisted: false }] }),
    ],
  ])("un-blocks on %s with emailBlacklisted: false and records it", async (endpoint, write) => {
    const { client, apiKey } = shop();
    server.sim.addContact(apiKey, { email: "gus@example.org" });
    server.sim.blocklist(apiKey, "gus@example.org");
    await write(client);
    const account = server.sim.account(apiKey);
    const contact = account.contacts.get("gus@example.org");
    expect(contact?.emailBlacklisted).toBe(false);
    expect(account.unblockedByApi).toEqual([{ email: "gus@example.org", endpoint, at: expect.any(Number) }]);
    expect(contact?.blacklistHistory).toEqual([{ value: false, endpoint, at: expect.any(Number) }]);
  });

  it("un-blocks a contact whose EMAIL is changed through updateContact", async () => {
    const { client, apiKey } = shop();
    server.sim.addContact(apiKey, { email: "old@example.org", emailBlacklisted: true });
    await client.contacts.updateContact({
      identifier: "old@example.org",
      attributes: { EMAIL: "new@example.org" },
    });
    const account = server.sim.account(apiKey);
    expect(account.contacts.get("new@example.org")?.emailBlacklisted).toBe(false);
    expect(account.unblockedByApi).toHaveLength(1);
  });
});

describe("batch update", () => {
  it("fails entirely with 404 when one contact is unknown, changing and creating nothing", async () => {
    const { client, apiKey } = shop();
    server.sim.addContact(apiKey, { email: "hal@example.org", attributes: { FIRSTNAME: "Hal" } });
    const error = await brevoError(
      client.contacts.updateBatchContacts({
        contacts: [
          { email: "hal@example.org", attributes: { FIRSTNAME: "Harold" } },
          { email: "ivy@example.org", attributes: { FIRSTNAME: "Ivy" } },
        ],
      }),
    );
    expect(error.statusCode).toBe(404);
    expect(error.body).toEqual({ code: "document_not_found", message: "No contact found for indexes 1" });
    const account = server.sim.account(apiKey);
    expect(account.contacts.get("hal@example.org")?.attributes).toEqual({ FIRSTNAME: "Hal" });
    expect(account.contacts.has("ivy@example.org")).toBe(false);
  });

  it("updates known contacts, linking and unlinking lists", async () => {
    const { client, apiKey } = shop();
    const a = server.sim.addList(apiKey, { name: "A" });
    const b = server.sim.addList(apiKey, { name: "B" });
    server.sim.addContact(apiKey, { email: "jo@example.org", listIds: [a.id] });
    await client.contacts.updateBatchContacts({
      contacts: [
        { email: "jo@example.org", listIds: [b.id], unlinkListIds: [a.id], attributes: { LASTNAME: "Jo" } },
      ],
    });
    const contact = server.sim.account(apiKey).contacts.get("jo@example.org");
    expect(contact?.listIds).toEqual([b.id]);
    expect(contact?.attributes).toEqual({ LASTNAME: "Jo" });
  });

  it("lists contacts with paging and modifiedSince", async () => {
    const { client, apiKey } = shop();
    for (let i = 0; i < 5; i += 1) server.sim.addContact(apiKey, { email: `k${i}@example.org` });
    const page = await client.contacts.getContacts({ limit: 2, offset: 0 });
    expect(page.count).toBe(5);
    expect(page.contacts.map((c) => c.email)).toEqual(["k4@example.org", "k3@example.org"]);
    expect(responseViolations(SPEC, "get", "/contacts", 200, page)).toEqual([]);
    const future = await client.contacts.getContacts({
      modifiedSince: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(future.count).toBe(0);
    expect((await brevoError(client.contacts.getContacts({ limit: 1001 }))).statusCode).toBe(400);
  });
});

describe("inspection routes", () => {
  it("lists accounts by label, never with the full key", async () => {
    const { apiKey, label } = shop();
    server.sim.addContact(apiKey, { email: "lu@example.org" });
    const response = await fetch(`${server.url}/__sandbox/accounts`);
    const text = await response.text();
    expect(text).not.toContain(apiKey);
    const { accounts } = JSON.parse(text) as {
      accounts: Array<{ label: string; key: string; contacts: number }>;
    };
    expect(accounts.find((a) => a.label === label)).toMatchObject({
      key: `…${apiKey.slice(-4)}`,
      contacts: 1,
    });
    const contacts = await fetch(`${server.url}/__sandbox/accounts/${label}/contacts`).then((r) => r.json());
    expect(contacts).toMatchObject({ count: 1, contacts: [{ email: "lu@example.org" }] });
  });

  it("holds 100,000 contacts and looks them up quickly", async () => {
    const { client, apiKey } = shop();
    const started = Date.now();
    for (let i = 0; i < 100_000; i += 1) server.sim.addContact(apiKey, { email: `bulk${i}@example.org` });
    const contact = await client.contacts.getContactInfo({ identifier: "bulk99999@example.org" });
    expect(contact.email).toBe("bulk99999@example.org");
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
