/**
 * The Mailchimp simulator behind a recording front door, and providers built the way the factory
 * builds them. The simulator's own request log has no bodies, so the front door keeps every body
 * a provider sends: that is how tests prove no member write ever carried a `status`.
 */
import { randomBytes } from "node:crypto";
import type { Hono } from "hono";
import { Limiter } from "../../src/limiter.js";
import {
  createMailchimpProvider,
  type MailchimpProviderOptions,
} from "../../src/providers/mailchimp/index.js";
import type {
  ConsentMode,
  ContactOutcome,
  FieldPreparation,
  MappedContact,
  NewsletterProvider,
} from "../../src/providers/types.js";
import { listen } from "../../src/sandbox/controls.js";
import { createMailchimpSimulator, type MailchimpSimulator } from "../../src/sandbox/mailchimp.js";

export interface SentRequest {
  method: string;
  path: string;
  body: string;
}

export interface Harness {
  sim: MailchimpSimulator;
  basePath: string;
  sent: SentRequest[];
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const sim = createMailchimpSimulator();
  const sent: SentRequest[] = [];
  const front = {
    fetch: async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname.startsWith("/3.0") && request.method !== "GET") {
        const body = await request.clone().text();
        sent.push({ method: request.method, path: url.pathname.slice(4), body });
      }
      return sim.app.fetch(request);
    },
  };
  const server = await listen(front as unknown as Hono, 0, () => sim.controls.releaseHanging());
  return { sim, basePath: `${server.url}/3.0`, sent, close: server.close };
}

export const newKey = (dc = "us21"): string => `${randomBytes(16).toString("hex")}-${dc}`;

export interface Shop {
  key: string;
  label: string;
  listId: string;
  limiter: Limiter;
  provider: NewsletterProvider;
}

type ShopOptions = Partial<Omit<MailchimpProviderOptions, "apiKey" | "baseUrl">> & {
  fromEmailVerified?: string[];
  canSchedule?: boolean;
  doubleOptin?: boolean;
  mergeFields?: Array<{ tag: string; name: string; type: "text" | "address" | "phone"; required?: boolean }>;
};

/** A fresh account with one audience and a provider for it: no test shares state with another. */
export function seedShop(h: Harness, opts: ShopOptions = {}): Shop {
  const key = newKey();
  const label = `shop-${key.slice(0, 8)}`;
  h.sim.addAccount({
    apiKey: key,
    label,
    fromEmailVerified: opts.fromEmailVerified ?? [],
    canSchedule: opts.canSchedule ?? true,
  });
  const list = h.sim.addList(key, {
    name: "Farm shop customers",
    doubleOptin: opts.doubleOptin ?? false,
    ...(opts.mergeFields ? { mergeFields: opts.mergeFields } : {}),
  });
  const limiter = opts.limiter ?? new Limiter(4);
  return { key, label, listId: list.id, limiter, provider: providerFor(h, key, { ...opts, limiter }) };
}

export function providerFor(
  h: Harness,
  apiKey: string,
  opts: Partial<Omit<MailchimpProviderOptions, "apiKey">> = {},
): NewsletterProvider {
  return createMailchimpProvider({
    apiKey,
    baseUrl: h.basePath,
    limiter: opts.limiter ?? new Limiter(4),
    retryBaseMs: opts.retryBaseMs ?? 5,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.batchTimeoutMs ? { batchTimeoutMs: opts.batchTimeoutMs } : {}),
  });
}

export function contact(email: string, more: Partial<MappedContact> = {}): MappedContact {
  return { email, firstName: "", lastName: "", phone: "", code: "", tags: [], removeTags: [], ...more };
}

/** Member writes the provider sent, directly or as /batches operations: [path, parsed body]. */
export function memberWrites(
  h: Harness,
): Array<{ method: string; path: string; body: Record<string, unknown> }> {
  const writes: Array<{ method: string; path: string; body: Record<string, unknown> }> = [];
  for (const request of h.sent) {
    if (request.path === "/batches") {
      const { operations } = JSON.parse(request.body) as {
        operations: Array<{ method: string; path: string; body?: string }>;
      };
      for (const op of operations) {
        writes.push({ method: op.method, path: op.path, body: op.body ? JSON.parse(op.body) : {} });
      }
    } else if (request.path.includes("/members")) {
      writes.push({ method: request.method, path: request.path, body: JSON.parse(request.body || "{}") });
    }
  }
  return writes.filter((w) => /\/lists\/[^/]+\/members(\/[^/]+)?$/.test(w.path));
}

/** prepareFields then one writeContacts call, as a sync run does for a small shop. */
export async function write(
  shop: Shop,
  contacts: MappedContact[],
  consent: ConsentMode = "subscribed",
): Promise<ContactOutcome[]> {
  const fields = await shop.provider.prepareFields(shop.listId);
  return shop.provider.writeContacts(contacts, fields, { audienceId: shop.listId, consent });
}

/** What the sync does: chunks of writeChunkSize, writeConcurrency of them at once. */
export async function runLikeTheSync(
  provider: NewsletterProvider,
  contacts: MappedContact[],
  fields: FieldPreparation,
  audienceId: string,
): Promise<ContactOutcome[][]> {
  const limiter = new Limiter(provider.writeConcurrency);
  const chunks: MappedContact[][] = [];
  for (let i = 0; i < contacts.length; i += provider.writeChunkSize) {
    chunks.push(contacts.slice(i, i + provider.writeChunkSize));
  }
  return Promise.all(
    chunks.map((chunk) =>
      limiter.run(() => provider.writeContacts(chunk, fields, { audienceId, consent: "subscribed" })),
    ),
  );
}
