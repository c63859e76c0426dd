/** Volume and rate: how many calls a large write costs and that /contacts stays under 10 per second. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Limiter } from "../../src/limiter.js";
import type { MappedContact, NewsletterProvider } from "../../src/providers/types.js";
import type { RunningBrevoSimulator } from "../../src/sandbox/brevo.js";
import { startBrevoSimulator } from "../../src/sandbox/brevo.js";
import { brevoShop, contact, newProvider, peakPerWindow, requestsOf } from "./brevo-harness.js";

let server: RunningBrevoSimulator;

beforeAll(async () => {
  server = await startBrevoSimulator({ importProcessingMs: 50 });
});
afterAll(async () => {
  await server.close();
});

/** SMS is unique in Brevo, so only one batch of customers per account may carry phones. */
const customers = (n: number, prefix: string, tags: string[] = [], phones = false): MappedContact[] =>
  Array.from({ length: n }, (_, i) =>
    contact(`${prefix}${i}@example.org`, {
      firstName: `First${i}`,
      lastName: `Last${i}`,
      phone: phones && i % 3 === 0 ? `+3361${String(i).padStart(7, "0")}` : "",
      code: `C${i}`,
      tags,
    }),
  );

/** Writes in the chunks the sync would use, one at a time (writeConcurrency 1). */
async function writeAll(
  provider: NewsletterProvider,
  contacts: MappedContact[],
  audienceId: string,
  lists = false,
) {
  const fields = await provider.prepareFields(audienceId);
  const outcomes = [];
  for (let i = 0; i < contacts.length; i += provider.writeChunkSize) {
    outcomes.push(
      ...(await provider.writeContacts(contacts.slice(i, i + provider.writeChunkSize), fields, {
        audienceId,
        consent: "subscribed",
        brevoTagMode: lists ? "lists" : "attribute",
      })),
    );
  }
  return outcomes;
}

describe("volume", () => {
  it("writes 20,000 contacts in two imports of 10,000, one poll each", async () => {
    const shop = brevoShop(server);
    expect(shop.provider.writeChunkSize).toBe(10_000);
    expect(shop.provider.writeConcurrency).toBe(1);
    const started = Date.now();
    const outcomes = await writeAll(shop.provider, customers(20_000, "v", [], true), shop.audienceId);
    const elapsed = Date.now() - started;

    expect(outcomes).toHaveLength(20_000);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const account = server.sim.account(shop.apiKey);
    expect(account.contacts.size).toBe(20_000);
    expect(account.lists.get(shop.listId)?.members.size).toBe(20_000);
    expect(account.contacts.get("v3@example.org")?.attributes).toMatchObject({
      SMS: "33610000003",
      OFN_CODE: "C3",
    });

    const imports = requestsOf(server, shop.label, "POST", "/contacts/import");
    const polls = requestsOf(server, shop.label, "GET", "/processes");
    expect(imports).toHaveLength(2);
    expect([...account.processes.values()].map((p) => p.options.rows)).toEqual([10_000, 10_000]);
    expect(polls).toHaveLength(2);
    // prepareFields: list check, attributes, two creations; then the imports.
    expect(requestsOf(server, shop.label).length).toBe(4 + 2 + 2);
    expect(requestsOf(server, shop.label).every((r) => r.status < 400)).toBe(true);
    expect(elapsed).toBeLessThan(15_000);
  });
});

describe("body size", () => {
  it("splits a chunk whose import body would pass 8 MB, so Brevo's 10 MB limit is never hit", async () => {
    const shop = brevoShop(server);
    // 5,000 rows of ≈2.3 KB: ≈11.5 MB in one body, which Brevo (and the simulator) refuse with 413.
    const long = "x".repeat(2200);
    const outcomes = await writeAll(
      shop.provider,
      Array.from({ length: 5000 }, (_, i) =>
        contact(`big${i}@example.org`, { firstName: long, code: `C${i}` }),
      ),
      shop.audienceId,
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const rows = [...server.sim.account(shop.apiKey).processes.values()].map((p) => p.options.rows as number);
    expect(rows.length).toBe(2);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(server.sim.account(shop.apiKey).contacts.size).toBe(5000);
  });
});

describe("rate", () => {
  it("keeps two instances for the same key under 10 /contacts requests per second together", async () => {
    const shop = brevoShop(server);
    // Another job of the same shop: own instance, own limiter; the per-key budget is shared.
    const second = newProvider(server, shop.apiKey, new Limiter(4));
    const prime = await shop.provider.prepareFields(shop.audienceId);
    await second.prepareFields(shop.audienceId);
    // Create the tag lists first so both instances only add members (no duplicate list creation).
    await shop.provider.writeContacts([contact("seed@example.org", { tags: ["veg", "eggs"] })], prime, {
      audienceId: shop.audienceId,
      consent: "subscribed",
      brevoTagMode: "lists",
    });
    const started = Date.now();
    const outcomes = await Promise.all([
      writeAll(shop.provider, customers(1500, "a", ["veg"]), shop.audienceId, true),
      writeAll(second, customers(1500, "b", ["eggs"]), shop.audienceId, true),
    ]);
    expect(outcomes.flat().filter((o) => !o.ok)).toEqual([]);
    const contactsCalls = requestsOf(server, shop.label).filter(
      (r) => r.path.startsWith("/contacts") && r.at >= started,
    );
    // 1,500 members in 150s: 10 add calls per instance, plus its import and its list reads.
    expect(contactsCalls.length).toBeGreaterThan(20);
    expect(contactsCalls.filter((r) => r.status === 429)).toEqual([]);
    expect(peakPerWindow(contactsCalls.map((r) => r.at))).toBeLessThanOrEqual(10);
    const lists = [...server.sim.account(shop.apiKey).lists.values()];
    expect(lists.find((l) => l.name === "OFN: veg")?.members.size).toBe(1501);
    expect(lists.find((l) => l.name === "OFN: eggs")?.members.size).toBe(1501);
  });
});
