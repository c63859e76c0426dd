/**
 * Seed data for the demo, tests and benchmarks: an OFN user with two enterprises and customers,
 * including the awkward ones real shops have (uppercase and padded emails, the same email in both
 * enterprises, invalid emails, missing names, accents, phones with and without country code).
 */
import { createHash } from "node:crypto";
import type { BrevoSimulator } from "./brevo.js";
import { brevoTestKey } from "./brevo.js";
import type { MailchimpSimulator } from "./mailchimp.js";
import type { OfnCustomerInput, OfnSimulator } from "./ofn.js";

/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same world. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST = [
  "Camille",
  "Léa",
  "Hugo",
  "Zoé",
  "Noé",
  "Chloé",
  "Jérôme",
  "Agnès",
  "François",
  "Amélie",
  "Oliver",
  "Grace",
];
const LAST = [
  "Martin",
  "Bernard",
  "Dubois",
  "Lefèvre",
  "Garçon",
  "Müller",
  "Nguyen",
  "Smith",
  "O'Brien",
  "Mercier",
];
const TOWNS = ["Lyon", "Nantes", "Rennes", "Dijon", "Besançon", "Tours"];
const TAGS = ["newsletter", "amap", "bénévole", "pro", "vip"];

export function customerEmail(enterpriseId: number, index: number): string {
  return `client${index}.e${enterpriseId}@example.org`;
}

/**
 * `count` plain customers for one enterprise; with `awkward`, about one in twelve is one of the
 * cases a sync must handle (and `sharedWith` emails also appear in the other enterprise).
 */
export function generateCustomers(
  enterpriseId: number,
  count: number,
  options: { seed?: number; awkward?: boolean; sharedEmails?: string[] } = {},
): OfnCustomerInput[] {
  const random = seededRandom((options.seed ?? 1) * 7919 + enterpriseId);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const customers: OfnCustomerInput[] = [];
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const phoneRoll = random();
    const customer: OfnCustomerInput = {
      email: customerEmail(enterpriseId, i),
      first_name: first,
      last_name: last,
      code: `C${enterpriseId}-${i}`,
      tags: random() < 0.3 ? [pick(TAGS)] : [],
      billing_address: {
        phone:
          phoneRoll < 0.4
            ? `+33 6 ${String(10_000_000 + i).slice(-8)}`
            : phoneRoll < 0.7
              ? `06 ${String(10_000_000 + i).slice(-8)}`
              : null,
        first_name: first,
        last_name: last,
        street_address_1: `${1 + (i % 90)} rue des Lilas`,
        street_address_2: null,
        postal_code: String(69_000 + (i % 900)),
        locality: pick(TOWNS),
        region: null,
        country: { code: "FR", name: "France" },
      },
      shipping_address: null,
    };
    if (options.awkward) makeAwkward(customer, i, enterpriseId, options.sharedEmails ?? []);
    customers.push(customer);
  }
  return customers;
}

function makeAwkward(customer: OfnCustomerInput, i: number, enterpriseId: number, shared: string[]): void {
  switch (i % 12) {
    case 1:
      customer.email = `  Client${i}.E${enterpriseId}@Example.ORG `;
      customer.rawEmail = true;
      break;
    case 3:
      customer.email = i % 24 === 3 ? `client${i}-at-example.org` : `client${i}@localhost`;
      customer.rawEmail = true;
      break;
    case 5:
      customer.first_name = null;
      customer.last_name = null;
      break;
    case 7: {
      // Each shared email used once here: OFN allows an email once per enterprise.
      const k = Math.floor(i / 12);
      if (k < shared.length) customer.email = shared[k]!;
      break;
    }
    case 9:
      customer.first_name = "Élodie-Anaïs";
      customer.last_name = "Château-Lefèvre";
      break;
    default:
  }
}

function hexKey(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").repeat(2).slice(0, length);
}

export interface DemoWorld {
  ofnApiKey: string;
  enterprises: Array<{ id: number; name: string; permalink: string }>;
  mailchimpApiKey: string;
  mailchimpListId: string;
  brevoApiKey: string;
  brevoListId: number;
  sender: string;
}

/** Seeds the three simulators with the demo's shop world. */
export function seedDemoWorld(
  sims: { ofn: OfnSimulator; mailchimp: MailchimpSimulator; brevo: BrevoSimulator },
  options: { customersPerEnterprise?: number } = {},
): DemoWorld {
  const perEnterprise = options.customersPerEnterprise ?? 600;
  const ofnApiKey = hexKey("demo-ofn", 48);
  const enterprises = [
    { id: 101, name: "La Ferme des Lilas", permalink: "ferme-des-lilas" },
    { id: 102, name: "Épicerie & Co", permalink: "epicerie-and-co" },
  ];
  sims.ofn.addUser({ apiKey: ofnApiKey, email: "owner@ferme-des-lilas.example", enterprises });
  const shared = Array.from({ length: 40 }, (_, i) => customerEmail(101, i * 3));
  sims.ofn.addCustomers(101, generateCustomers(101, perEnterprise, { awkward: true }));
  sims.ofn.addCustomers(102, generateCustomers(102, perEnterprise, { awkward: true, sharedEmails: shared }));

  const sender = "bonjour@ferme-des-lilas.example";
  const mailchimpApiKey = `${hexKey("demo-mailchimp", 32)}-us21`;
  sims.mailchimp.addAccount({
    apiKey: mailchimpApiKey,
    label: "demo-mailchimp",
    accountName: "La Ferme des Lilas",
    fromEmailVerified: [sender],
  });
  const list = sims.mailchimp.addList(mailchimpApiKey, { name: "Clients de la ferme" });
  // People who already left the newsletter: a sync must never bring them back.
  for (let i = 0; i < 12; i++) {
    sims.mailchimp.addMember(mailchimpApiKey, list.id, {
      email: customerEmail(101, i * 10),
      status: "unsubscribed",
    });
  }
  sims.mailchimp.addMember(mailchimpApiKey, list.id, { email: customerEmail(102, 4), status: "cleaned" });

  const brevoApiKey = brevoTestKey("demo");
  sims.brevo.addAccount({
    apiKey: brevoApiKey,
    label: "demo-brevo",
    email: "owner@ferme-des-lilas.example",
    companyName: "La Ferme des Lilas",
    senders: [{ name: "La Ferme des Lilas", email: sender }],
    emailCredits: 100_000,
  });
  const brevoList = sims.brevo.addList(brevoApiKey, { name: "Clients de la ferme" });
  sims.brevo.addContact(brevoApiKey, { email: customerEmail(101, 20), listIds: [brevoList.id] });
  sims.brevo.blocklist(brevoApiKey, customerEmail(101, 20));

  return {
    ofnApiKey,
    enterprises,
    mailchimpApiKey,
    mailchimpListId: list.id,
    brevoApiKey,
    brevoListId: brevoList.id,
    sender,
  };
}
