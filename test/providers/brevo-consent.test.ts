/**
 * The consent invariant through the real adapter and SDK: existing contacts keep their status,
 * blocklisted people stay blocklisted, and only new contacts get the shop's consent mode.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsentMode, FieldPreparation } from "../../src/providers/types.js";
import type { RunningBrevoSimulator } from "../../src/sandbox/brevo.js";
import { startBrevoSimulator } from "../../src/sandbox/brevo.js";
import type { BrevoShop, SentRequest } from "./brevo-harness.js";
import { brevoShop, contact, recordRequests, upstreamError } from "./brevo-harness.js";

let server: RunningBrevoSimulator;

beforeAll(async () => {
  server = await startBrevoSimulator({ importProcessingMs: 20 });
});
afterAll(async () => {
  await server.close();
});

const DOI_HTML = "<p>Please confirm: {{ doubleoptin }}</p>";
const SYNC_LIST = "OFN sync (not a mailing list)";

function listNamed(shop: BrevoShop, name: string) {
  return [...server.sim.account(shop.apiKey).lists.values()].find((l) => l.name === name);
}

/** No request body anywhere carries a blocklist flag or an EMAIL attribute. */
function expectNoStatusWrites(sent: SentRequest[]) {
  const bodies = JSON.stringify(sent.map((r) => r.body));
  expect(bodies).not.toMatch(/emailBlacklist|smsBlacklist|"EMAIL"/);
}

async function write(shop: BrevoShop, fields: FieldPreparation, consent: ConsentMode, firstName: string) {
  return shop.provider.writeContacts(
    [
      contact("gone@example.org", { firstName, code: "C1" }),
      contact("new@example.org", { firstName, code: "C2" }),
    ],
    fields,
    {
      audienceId: shop.audienceId,
      consent,
      brevoDoiTemplateId: 1,
      brevoDoiRedirectUrl: "https://farm.example.org/ok",
    },
  );
}

describe.each<ConsentMode>(["subscribed", "non_marketing", "double_opt_in"])("consent %s", (consent) => {
  it("leaves a blocklisted contact blocklisted over several syncs, with no blocklist write at all", async () => {
    const shop = brevoShop(server);
    server.sim.addTemplate(shop.apiKey, { name: "Confirm", htmlContent: DOI_HTML });
    server.sim.addContact(shop.apiKey, { email: "gone@example.org", listIds: [shop.listId] });
    server.sim.blocklist(shop.apiKey, "gone@example.org");
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const wire = recordRequests();
    try {
      for (const name of ["One", "Two", "Three"]) await write(shop, fields, consent, name);
    } finally {
      wire.stop();
    }
    const account = server.sim.account(shop.apiKey);
    const gone = account.contacts.get("gone@example.org");
    expect(gone?.emailBlacklisted).toBe(true);
    expect(gone?.attributes.FIRSTNAME).toBe("Three");
    expect(account.unblockedByApi).toEqual([]);
    expect(account.blacklistWrites).toEqual([]);
    expect(account.notificationsSent).toBe(0);
    expectNoStatusWrites(wire.sent);
  });

  it("keeps a contact blocklisted between two writes blocklisted", async () => {
    const shop = brevoShop(server);
    server.sim.addTemplate(shop.apiKey, { name: "Confirm", htmlContent: DOI_HTML });
    server.sim.addContact(shop.apiKey, { email: "gone@example.org", listIds: [shop.listId] });
    const fields = await shop.provider.prepareFields(shop.audienceId);
    await write(shop, fields, consent, "Before");
    server.sim.blocklist(shop.apiKey, "gone@example.org");
    const outcomes = await write(shop, fields, consent, "After");

    const account = server.sim.account(shop.apiKey);
    expect(outcomes.find((o) => o.email === "gone@example.org")).toMatchObject({ ok: true });
    expect(account.contacts.get("gone@example.org")).toMatchObject({
      emailBlacklisted: true,
      attributes: { FIRSTNAME: "After", OFN_CODE: "C1" },
    });
    expect(account.unblockedByApi).toEqual([]);
    expect(account.blacklistWrites).toEqual([]);
  });
});

describe("what new and existing contacts get", () => {
  it("subscribed: new contacts join the audience; the import carries the safe options", async () => {
    const shop = brevoShop(server);
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const outcomes = await write(shop, fields, "subscribed", "Amy");
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const account = server.sim.account(shop.apiKey);
    expect(account.contacts.get("new@example.org")?.listIds).toEqual([shop.listId]);
    const [process] = [...account.processes.values()];
    expect(process?.options).toMatchObject({
      listIds: [shop.listId],
      updateExistingContacts: true,
      emptyContactsAttributes: false,
      emailBlacklist: false,
      disableNotification: true,
    });
  });

  it("non_marketing: contacts are created outside the audience, existing memberships untouched", async () => {
    const shop = brevoShop(server);
    const other = server.sim.addList(shop.apiKey, { name: "Events" });
    server.sim.addContact(shop.apiKey, { email: "gone@example.org", listIds: [other.id] });
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const outcomes = await write(shop, fields, "non_marketing", "Amy");
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const account = server.sim.account(shop.apiKey);
    const sync = listNamed(shop, SYNC_LIST);
    expect(account.contacts.get("new@example.org")?.listIds).toEqual([sync?.id]);
    expect(account.contacts.get("gone@example.org")?.listIds).toEqual([other.id, sync?.id]);
    expect(account.lists.get(shop.listId)?.members.size).toBe(0);
    const folder = [...account.folders.values()].find((f) => f.name === "OFN");
    expect(sync?.folderId).toBe(folder?.id);
  });

  it("double_opt_in: existing contacts get attributes only, new ones a confirmation mail", async () => {
    const shop = brevoShop(server);
    const template = server.sim.addTemplate(shop.apiKey, { name: "Confirm", htmlContent: DOI_HTML });
    server.sim.addContact(shop.apiKey, { email: "gone@example.org" });
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const outcomes = await write(shop, fields, "double_opt_in", "Amy");
    expect(outcomes).toEqual([
      { email: "gone@example.org", ok: true },
      { email: "new@example.org", ok: true, status: "pending" },
    ]);
    const account = server.sim.account(shop.apiKey);
    expect(account.contacts.get("gone@example.org")).toMatchObject({ attributes: { FIRSTNAME: "Amy" } });
    expect(account.lists.get(shop.listId)?.members.size).toBe(0);
    expect(account.contacts.has("new@example.org")).toBe(false);
    expect(server.sim.doubleOptIns(shop.apiKey)).toEqual([
      expect.objectContaining({
        email: "new@example.org",
        templateId: template.id,
        includeListIds: [shop.listId],
        redirectionUrl: "https://farm.example.org/ok",
        attributes: { FIRSTNAME: "Amy", OFN_CODE: "C2" },
      }),
    ]);
    server.sim.confirmDoubleOptIn(shop.apiKey, "new@example.org");
    expect(account.contacts.get("new@example.org")).toMatchObject({
      listIds: [shop.listId],
      emailBlacklisted: false,
      attributes: { FIRSTNAME: "Amy", OFN_CODE: "C2" },
    });
  });

  it("double_opt_in without a usable template fails the run before mailing anyone", async () => {
    const shop = brevoShop(server);
    server.sim.addTemplate(shop.apiKey, { name: "Plain", htmlContent: "<p>No confirmation link</p>" });
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const error = await upstreamError(write(shop, fields, "double_opt_in", "Amy"));
    expect(error.options).toMatchObject({ permanent: true, providerCode: "doi_settings" });
    expect(error.message).toMatch(/not an active double opt-in template/);
    expect(server.sim.doubleOptIns(shop.apiKey)).toEqual([]);
  });
});
