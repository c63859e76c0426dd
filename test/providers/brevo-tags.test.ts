import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBrevoSimulator } from "../../src/sandbox/brevo.js";
import { startBrevoSimulator } from "../../src/sandbox/brevo.js";
import type { BrevoShop } from "./brevo-harness.js";
import { brevoShop, contact } from "./brevo-harness.js";

let server: RunningBrevoSimulator;

beforeAll(async () => {
  server = await startBrevoSimulator({ importProcessingMs: 20 });
});
afterAll(async () => {
  await server.close();
});

function members(shop: BrevoShop, name: string): string[] | undefined {
  const account = server.sim.account(shop.apiKey);
  const list = [...account.lists.values()].find((l) => l.name === name);
  if (!list) return undefined;
  return [...list.members].map((id) => account.contactsById.get(id)?.email ?? "?").sort();
}

describe("tags as the OFN_TAGS attribute", () => {
  it("writes the tags, then clears the attribute when the last tag goes", async () => {
    const shop = brevoShop(server);
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const options = {
      audienceId: shop.audienceId,
      consent: "subscribed" as const,
      brevoTagMode: "attribute" as const,
    };
    await shop.provider.writeContacts(
      [contact("amy@example.org", { firstName: "Amy", tags: ["veg", "eggs"] })],
      fields,
      options,
    );
    const amy = () => server.sim.account(shop.apiKey).contacts.get("amy@example.org");
    expect(amy()?.attributes.OFN_TAGS).toBe("veg, eggs");

    await shop.provider.writeContacts(
      [contact("amy@example.org", { firstName: "Amy", tags: ["veg"], removeTags: ["eggs"] })],
      fields,
      options,
    );
    expect(amy()?.attributes.OFN_TAGS).toBe("veg");

    const outcomes = await shop.provider.writeContacts(
      [contact("amy@example.org", { firstName: "Amy", removeTags: ["veg"] })],
      fields,
      options,
    );
    expect(outcomes).toEqual([{ email: "amy@example.org", ok: true }]);
    expect(amy()?.attributes).toEqual({ FIRSTNAME: "Amy" });
    expect(server.sim.account(shop.apiKey).blacklistWrites).toEqual([]);
  });
});

describe("tags as lists", () => {
  it("adds audience members to one 'OFN: <tag>' list per tag in the OFN folder, and takes removed tags off", async () => {
    const shop = brevoShop(server);
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const options = {
      audienceId: shop.audienceId,
      consent: "subscribed" as const,
      brevoTagMode: "lists" as const,
    };
    const many = Array.from({ length: 320 }, (_, i) => contact(`c${i}@example.org`, { tags: ["veg"] }));
    await shop.provider.writeContacts(
      [
        contact("amy@example.org", { tags: ["veg", "eggs"] }),
        contact("bob@example.org", { tags: ["eggs"] }),
        ...many,
      ],
      fields,
      options,
    );
    expect(members(shop, "OFN: eggs")).toEqual(["amy@example.org", "bob@example.org"]);
    expect(members(shop, "OFN: veg")).toHaveLength(321);
    const account = server.sim.account(shop.apiKey);
    const folder = [...account.folders.values()].find((f) => f.name === "OFN");
    const tagLists = [...account.lists.values()].filter((l) => l.name.startsWith("OFN: "));
    expect(tagLists.map((l) => l.folderId)).toEqual([folder?.id, folder?.id]);
    // 150 addresses per call at most (spec): 321 members of "veg" take 3 calls.
    const adds = server.sim.controls.requests.filter(
      (r) =>
        r.account === shop.label &&
        r.method === "POST" &&
        /\/contacts\/lists\/\d+\/contacts\/add/.test(r.path),
    );
    expect(adds).toHaveLength(4);
    expect(adds.every((r) => r.status === 201)).toBe(true);

    // Amy loses "eggs"; Bob left OFN (only tags to take off): never re-imported, only taken off.
    const before = account.processes.size;
    const outcomes = await shop.provider.writeContacts(
      [
        contact("amy@example.org", { tags: ["veg"], removeTags: ["eggs"] }),
        contact("bob@example.org", { removeTags: ["eggs"] }),
      ],
      fields,
      options,
    );
    expect(outcomes).toEqual([
      { email: "amy@example.org", ok: true },
      { email: "bob@example.org", ok: true },
    ]);
    expect(members(shop, "OFN: eggs")).toEqual([]);
    expect(members(shop, "OFN: veg")).toContain("amy@example.org");
    expect(account.processes.size).toBe(before + 1);
    expect(account.processes.get(before + 1)?.options).toMatchObject({ rows: 1 });
  });

  it("never re-adds a customer who left OFN to an audience the shop took them out of", async () => {
    const shop = brevoShop(server);
    const fields = await shop.provider.prepareFields(shop.audienceId);
    const options = {
      audienceId: shop.audienceId,
      consent: "subscribed" as const,
      brevoTagMode: "lists" as const,
    };
    await shop.provider.writeContacts([contact("bob@example.org", { tags: ["eggs"] })], fields, options);
    const account = server.sim.account(shop.apiKey);
    const bob = account.contacts.get("bob@example.org")!;
    account.lists.get(shop.listId)?.members.delete(bob.id);
    bob.listIds = bob.listIds.filter((id) => id !== shop.listId);

    await shop.provider.writeContacts(
      [contact("bob@example.org", { removeTags: ["eggs"] })],
      fields,
      options,
    );
    expect(bob.listIds).not.toContain(shop.listId);
    expect(members(shop, "OFN: eggs")).toEqual([]);
  });

  it("keeps contacts outside the audience out of tag lists (a segment campaign must not reach them)", async () => {
    const shop = brevoShop(server);
    const fields = await shop.provider.prepareFields(shop.audienceId);
    await shop.provider.writeContacts([contact("cyd@example.org", { tags: ["veg"] })], fields, {
      audienceId: shop.audienceId,
      consent: "non_marketing",
      brevoTagMode: "lists",
    });
    expect(server.sim.account(shop.apiKey).contacts.has("cyd@example.org")).toBe(true);
    expect(members(shop, "OFN: veg")).toBeUndefined();
  });

  it("double opt-in: new contacts join their tag lists only through the confirmation", async () => {
    const shop = brevoShop(server);
    server.sim.addTemplate(shop.apiKey, { name: "Confirm", htmlContent: "<p>{{ doubleoptin }}</p>" });
    server.sim.addContact(shop.apiKey, { email: "member@example.org", listIds: [shop.listId] });
    server.sim.addContact(shop.apiKey, { email: "outsider@example.org" });
    const fields = await shop.provider.prepareFields(shop.audienceId);
    await shop.provider.writeContacts(
      ["member", "outsider", "new"].map((name) => contact(`${name}@example.org`, { tags: ["veg"] })),
      fields,
      {
        audienceId: shop.audienceId,
        consent: "double_opt_in",
        brevoTagMode: "lists",
        brevoDoiTemplateId: 1,
        brevoDoiRedirectUrl: "https://farm.example.org/thanks",
      },
    );
    expect(members(shop, "OFN: veg")).toEqual(["member@example.org"]);
    server.sim.confirmDoubleOptIn(shop.apiKey, "new@example.org");
    expect(members(shop, "OFN: veg")).toEqual(["member@example.org", "new@example.org"]);
  });
});
