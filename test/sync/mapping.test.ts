import { describe, expect, it } from "vitest";
import type { OfnCustomer } from "../../src/ofn/types.js";
import { mappingSchema } from "../../src/shops/settings.js";
import {
  addCustomers,
  contactHash,
  isValidEmail,
  newContactBook,
  normaliseEmail,
} from "../../src/sync/mapping.js";

const mapping = mappingSchema.parse({});
let nextId = 1;
const customer = (overrides: Partial<OfnCustomer> = {}): OfnCustomer => ({
  id: nextId++,
  enterprise_id: 1,
  first_name: "Alice",
  last_name: "Springs",
  code: "A1",
  email: "alice@example.org",
  tags: [],
  billing_address: null,
  shipping_address: null,
  ...overrides,
});

describe("email normalisation", () => {
  it("trims, lowercases and validates", () => {
    expect(normaliseEmail("  Alice.Springs@Example.ORG ")).toBe("alice.springs@example.org");
    for (const good of ["a@b.co", "élodie@ferme.fr", "x+tag@sub.domain.org", "o'brien@example.ie"]) {
      expect(isValidEmail(good), good).toBe(true);
    }
    for (const bad of [
      "",
      "a",
      "a@b",
      "a@b.c",
      "a b@c.org",
      "a@@b.org",
      "a@localhost",
      "a..b@c.org",
      "@b.org",
      "a@-b.org",
    ]) {
      expect(isValidEmail(bad), bad).toBe(false);
    }
  });
});

describe("customers to contacts", () => {
  it("counts and lists invalid emails and never keeps them", () => {
    const book = newContactBook();
    addCustomers(
      book,
      [customer({ email: "not-an-email" }), customer({ email: "ok@example.org" })],
      "Ferme",
      mapping,
      null,
    );
    expect(book.fetched).toBe(2);
    expect(book.invalid.map((i) => i.email)).toEqual(["not-an-email"]);
    expect([...book.contacts.keys()]).toEqual(["ok@example.org"]);
  });

  it("falls back to billing then shipping names and keeps complete addresses only", () => {
    const book = newContactBook();
    const address = {
      phone: "+33 6 12 34 56 78",
      first_name: "Bruno",
      last_name: "Billing",
      street_address_1: "1 rue des Lilas",
      street_address_2: "",
      postal_code: "69001",
      locality: "Lyon",
      region: { code: "ARA", name: "Auvergne-Rhône-Alpes" },
      country: { code: "FR", name: "France" },
    };
    addCustomers(
      book,
      [
        customer({ email: "b@example.org", first_name: null, last_name: " ", billing_address: address }),
        customer({
          email: "s@example.org",
          first_name: null,
          last_name: null,
          shipping_address: { ...address, first_name: "Sam", last_name: "Ship", locality: "" },
        }),
      ],
      "Ferme",
      mapping,
      null,
    );
    const b = book.contacts.get("b@example.org")!;
    expect([b.firstName, b.lastName, b.phone]).toEqual(["Bruno", "Billing", "+33 6 12 34 56 78"]);
    expect(b.address).toEqual({
      addr1: "1 rue des Lilas",
      addr2: "",
      city: "Lyon",
      state: "Auvergne-Rhône-Alpes",
      zip: "69001",
      country: "FR",
    });
    const s = book.contacts.get("s@example.org")!;
    expect([s.firstName, s.lastName]).toEqual(["Sam", "Ship"]);
    expect(s.address).toBeUndefined();
  });

  it("makes one contact of the same email in two enterprises, merging tags and codes", () => {
    const book = newContactBook();
    addCustomers(
      book,
      [customer({ email: "Same@Example.org", tags: ["amap"], code: "E1" })],
      "Ferme",
      mapping,
      null,
    );
    addCustomers(
      book,
      [
        customer({
          enterprise_id: 2,
          email: "same@example.org ",
          first_name: "Other",
          tags: ["vip"],
          code: "E2",
        }),
      ],
      "Épicerie",
      mapping,
      null,
    );
    expect(book.contacts.size).toBe(1);
    const contact = book.contacts.get("same@example.org")!;
    expect(contact.firstName).toBe("Alice");
    expect(contact.code).toBe("E1,E2");
    expect(contact.tags.sort()).toEqual(["Ferme", "amap", "vip", "Épicerie"].sort());
  });

  it("applies the mapping settings and the required tag", () => {
    const book = newContactBook();
    const custom = mappingSchema.parse({
      names: false,
      enterpriseTag: false,
      tagPrefix: "ofn:",
      code: false,
    });
    addCustomers(
      book,
      [
        customer({ email: "in@example.org", tags: ["Newsletter"] }),
        customer({ email: "out@example.org", tags: ["vip"] }),
      ],
      "Ferme",
      custom,
      "newsletter",
    );
    expect(book.skippedByConsent).toBe(1);
    const contact = book.contacts.get("in@example.org")!;
    expect(contact.tags).toEqual(["ofn:Newsletter"]);
    expect([contact.firstName, contact.code]).toEqual(["", ""]);
  });

  it("hashes content, not order, and changes with the scope", () => {
    const book = newContactBook();
    addCustomers(book, [customer({ email: "h@example.org", tags: ["a", "b"] })], "F", mapping, null);
    const contact = book.contacts.get("h@example.org")!;
    const reordered = { ...contact, tags: [...contact.tags].reverse() };
    expect(contactHash(reordered, "s")).toBe(contactHash(contact, "s"));
    expect(contactHash(contact, "other-audience")).not.toBe(contactHash(contact, "s"));
    expect(contactHash({ ...contact, lastName: "X" }, "s")).not.toBe(contactHash(contact, "s"));
  });
});
