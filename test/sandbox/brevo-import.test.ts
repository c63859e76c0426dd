import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBrevoSimulator } from "../../src/sandbox/brevo.js";
import { startBrevoSimulator } from "../../src/sandbox/brevo.js";
import { responseViolations } from "../support/openapi-contract.js";
import { brevoError, newShop, waitFor } from "./brevo.fixtures.js";

const SPEC = "brevo-api-v3.yml";
let server: RunningBrevoSimulator;

beforeAll(async () => {
  server = await startBrevoSimulator({ importProcessingMs: 30 });
});
afterAll(async () => {
  await server.close();
});

function shopWithList() {
  const s = newShop(server.sim, server.basePath);
  const list = server.sim.addList(s.apiKey, { name: "Customers" });
  const completed = async (processId: number) => {
    let last: Awaited<ReturnType<typeof s.client.process.getProcess>> | undefined;
    await waitFor(async () => {
      last = await s.client.process.getProcess({ processId });
      return last.status === "completed";
    });
    return last!;
  };
  return { ...s, listId: list.id, completed };
}

describe("contact import", () => {
  it("answers 202 {processId}, then the process goes from queued to completed", async () => {
    const { client, apiKey, listId, completed } = shopWithList();
    // Slow enough to observe the queued state on a busy machine.
    server.sim.options.importProcessingMs = 400;
    const started = await client.contacts.importContacts({
      jsonBody: [{ email: "amy@example.org", attributes: { FIRSTNAME: "Amy", NICKNAME: "A" } }],
      listIds: [listId],
      disableNotification: true,
    });
    server.sim.options.importProcessingMs = 30;
    const queued = await client.process.getProcess({ processId: started.processId });
    expect(queued).toEqual({ id: started.processId, name: "IMPORTUSER", status: "queued" });
    expect(server.sim.account(apiKey).contacts.has("amy@example.org")).toBe(false);
    expect(responseViolations(SPEC, "post", "/contacts/import", 202, started)).toEqual([]);

    const done = await completed(started.processId);
    expect(responseViolations(SPEC, "get", "/processes/{processId}", 200, done)).toEqual([]);
    const contact = server.sim.account(apiKey).contacts.get("amy@example.org");
    expect(contact).toMatchObject({ attributes: { FIRSTNAME: "Amy" }, listIds: [listId] });
    const all = await client.process.getProcesses();
    expect(all.count).toBe(1);
    expect(responseViolations(SPEC, "get", "/processes", 200, all)).toEqual([]);
  });

  it("reads a semicolon CSV and reports invalid emails and duplicate phones as CSV links", async () => {
    const { client, apiKey, listId, completed } = shopWithList();
    server.sim.addContact(apiKey, { email: "owner@example.org", attributes: { SMS: "+33611111111" } });
    const started = await client.contacts.importContacts({
      fileBody:
        "EMAIL;FIRSTNAME;SMS\nbob@example.org;Bob;\nnot-an-email;X;\ncyd@example.org;Cyd;+33611111111\n",
      listIds: [listId],
      disableNotification: true,
    });
    const done = await completed(started.processId);
    const report = (done as { info?: { import?: Record<string, string | null> } }).info?.import;
    expect(report?.duplicate_email_id).toBeNull();
    const invalid = await fetch(String(report?.invalid_emails)).then((r) => r.text());
    expect(invalid).toBe("not-an-email;X;");
    const phones = await fetch(String(report?.duplicate_phone_id)).then((r) => r.text());
    expect(phones).toContain("cyd@example.org");
    const account = server.sim.account(apiKey);
    expect(account.contacts.get("bob@example.org")?.attributes).toEqual({ FIRSTNAME: "Bob" });
    expect(account.contacts.has("cyd@example.org")).toBe(false);
  });

  it("refuses a CSV whose header has no identifier column (e.g. comma-separated)", async () => {
    const { client, listId } = shopWithList();
    const error = await brevoError(
      client.contacts.importContacts({ fileBody: "EMAIL,FIRSTNAME\nbob@example.org,Bob", listIds: [listId] }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.body).toMatchObject({ code: "invalid_parameter" });
    expect(String((error.body as { message: string }).message)).toContain("could not find any valid email");
    expect(responseViolations(SPEC, "post", "/contacts/import", 400, error.body)).toEqual([]);
  });

  it("leaves existing contacts' data alone with updateExistingContacts: false", async () => {
    const { client, apiKey, listId, completed } = shopWithList();
    server.sim.addContact(apiKey, { email: "dan@example.org", attributes: { FIRSTNAME: "Dan" } });
    const { processId } = await client.contacts.importContacts({
      jsonBody: [
        { email: "dan@example.org", attributes: { FIRSTNAME: "Daniel", LASTNAME: "Doe" } },
        { email: "ela@example.org", attributes: { FIRSTNAME: "Ela" } },
      ],
      listIds: [listId],
      updateExistingContacts: false,
      disableNotification: true,
    });
    await completed(processId);
    const account = server.sim.account(apiKey);
    expect(account.contacts.get("dan@example.org")?.attributes).toEqual({ FIRSTNAME: "Dan" });
    expect(account.contacts.get("ela@example.org")?.attributes).toEqual({ FIRSTNAME: "Ela" });
  });

  it("keeps attributes on empty values unless emptyContactsAttributes is true", async () => {
    const { client, apiKey, listId, completed } = shopWithList();
    server.sim.addContact(apiKey, {
      email: "fox@example.org",
      attributes: { FIRSTNAME: "Fox", LASTNAME: "Hill" },
    });
    const run = async (emptyContactsAttributes: boolean) => {
      const { processId } = await client.contacts.importContacts({
        fileBody: "EMAIL;FIRSTNAME;LASTNAME\nfox@example.org;Foxy;\n",
        listIds: [listId],
        emptyContactsAttributes,
        disableNotification: true,
      });
      await completed(processId);
      return { ...server.sim.account(apiKey).contacts.get("fox@example.org")?.attributes };
    };
    expect(await run(false)).toEqual({ FIRSTNAME: "Foxy", LASTNAME: "Hill" });
    expect(await run(true)).toEqual({ FIRSTNAME: "Foxy" });
  });

  it("counts the owner notifications disableNotification would have prevented", async () => {
    const { client, apiKey, listId, completed } = shopWithList();
    const a = await client.contacts.importContacts({
      jsonBody: [{ email: "gil@example.org" }],
      listIds: [listId],
    });
    await completed(a.processId);
    const b = await client.contacts.importContacts({
      jsonBody: [{ email: "gil@example.org" }],
      listIds: [listId],
      disableNotification: true,
    });
    await completed(b.processId);
    expect(server.sim.account(apiKey).notificationsSent).toBe(1);
  });

  it("never un-blocks an unsubscribed contact, and blocks everyone with emailBlacklist: true", async () => {
    const { client, apiKey, listId, completed } = shopWithList();
    server.sim.addContact(apiKey, { email: "hue@example.org" });
    server.sim.blocklist(apiKey, "hue@example.org");
    const first = await client.contacts.importContacts({
      jsonBody: [{ email: "hue@example.org", attributes: { FIRSTNAME: "Hue" } }],
      listIds: [listId],
      emailBlacklist: false,
      disableNotification: true,
    });
    await completed(first.processId);
    const account = server.sim.account(apiKey);
    expect(account.contacts.get("hue@example.org")?.emailBlacklisted).toBe(true);
    expect(account.unblockedByApi).toEqual([]);

    const second = await client.contacts.importContacts({
      jsonBody: [{ email: "ian@example.org" }],
      listIds: [listId],
      emailBlacklist: true,
      disableNotification: true,
    });
    await completed(second.processId);
    expect(account.contacts.get("ian@example.org")?.emailBlacklisted).toBe(true);
  });

  it("rejects a body over 10 MB", async () => {
    const { client, listId } = shopWithList();
    const row = { email: "someone@example.org", attributes: { FIRSTNAME: "x".repeat(1000) } };
    const jsonBody = Array.from({ length: 11_000 }, (_, i) => ({ ...row, email: `p${i}@example.org` }));
    const error = await brevoError(client.contacts.importContacts({ jsonBody, listIds: [listId] }));
    expect(error.statusCode).toBe(413);
    expect(error.body).toMatchObject({ code: "out_of_range" });
  });

  it("needs a destination list", async () => {
    const { client } = shopWithList();
    const error = await brevoError(
      client.contacts.importContacts({ jsonBody: [{ email: "jan@example.org" }] }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.body).toMatchObject({ code: "missing_parameter" });
  });
});
