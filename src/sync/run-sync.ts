/**
 * One shop's customer sync: OFN customers of the selected enterprises -> normalised contacts ->
 * diff against the stored state -> only new and changed contacts written in the provider's bulk
 * form -> per-contact outcomes stored. Every write is an idempotent upsert, and state is saved
 * after each chunk, so a run killed anywhere and started again ends with the same audience.
 */

import type { Keyring } from "../crypto/keyring.js";
import type { Db } from "../db/client.js";
import { AppError, UpstreamError } from "../errors.js";
import type { LimiterPool } from "../limiter.js";
import type { Logger } from "../logger.js";
import { releaseMemory } from "../memory.js";
import { createOfnClient } from "../ofn/client.js";
import type { MappedContact, NewsletterProvider, ProviderKind } from "../providers/types.js";
import { loadShopContext } from "../shops/context.js";
import { ChunkWriter, type PendingContact } from "./chunk-writer.js";
import { loadContactState, markGone } from "./contact-state.js";
import { addCustomers, contactHash, type InvalidEmail, newContactBook } from "./mapping.js";

export type ProviderFactory = (kind: ProviderKind, apiKey: string) => NewsletterProvider;

export interface SyncDeps {
  db: Db;
  keyring: Keyring;
  logger: Logger;
  ofnLimiters: LimiterPool;
  providers: ProviderFactory;
  /** Test and benchmark hooks for the OFN client. */
  ofnFetch?: typeof fetch;
  ofnRetryBaseMs?: number;
}

export interface SyncCounts {
  fetched: number;
  new: number;
  updated: number;
  unchanged: number;
  invalid: number;
  skippedConsent: number;
  failed: number;
  /** Contacts the bridge wrote before whose customers are no longer in OFN. */
  gone: number;
}

export interface SyncResult {
  counts: SyncCounts;
  invalidEmails: InvalidEmail[];
  warnings: string[];
  ofnRequests: number;
}

export interface SyncProgress {
  done: number;
  total: number;
  counts: SyncCounts;
}

export class LeaseLostError extends Error {
  constructor() {
    super("another worker took this sync over");
    this.name = "LeaseLostError";
  }
}

const MAX_LISTED_INVALID = 500;
/** Customers read, and contacts written, between two garbage collections (see src/memory.ts). */
const COLLECT_EVERY = 25_000;
const COLLECT_EVERY_WRITTEN = 10_000;
/** Below this many customers a sync is a small job for releaseMemory. */
const SMALL_SYNC = 5_000;

export async function executeSync(
  deps: SyncDeps,
  shopId: string,
  hooks: { onProgress?: (progress: SyncProgress) => void; stillOwned?: () => boolean } = {},
): Promise<SyncResult> {
  const context = await loadShopContext(deps, shopId);
  const { shop, settings, connection } = context;
  if (!connection?.audienceId || !context.providerApiKey) {
    throw new AppError("CONFLICT", "Connect Mailchimp or Brevo and choose an audience before syncing.");
  }
  const selected = context.enterprises.filter((enterprise) => enterprise.syncCustomers);
  if (selected.length === 0) throw new AppError("CONFLICT", "Choose at least one enterprise to sync.");

  const counts: SyncCounts = {
    fetched: 0,
    new: 0,
    updated: 0,
    unchanged: 0,
    invalid: 0,
    skippedConsent: 0,
    failed: 0,
    gone: 0,
  };
  let fetchTotal = 0;
  const guard = () => {
    if (hooks.stillOwned && !hooks.stillOwned()) throw new LeaseLostError();
  };

  // 1. Fields and the stored state first: contacts whose write order does not matter are written
  //    while OFN is still being read (its latency then hides the writes).
  const provider = deps.providers(connection.provider, context.providerApiKey);
  const fields = await provider.prepareFields(connection.audienceId);
  const scope = [
    connection.provider,
    connection.audienceId,
    settings.sync.consent,
    [...fields.available].sort(),
  ].join("|");
  const stored = await loadContactState(deps.db, shopId);
  const storedInOfn = [...stored.values()].filter((s) => s.inOfn).length;
  let collectedAt = 0;
  const writer = new ChunkWriter({
    db: deps.db,
    shopId,
    provider,
    fields,
    stored,
    guard,
    options: {
      audienceId: connection.audienceId,
      consent: settings.sync.consent,
      brevoTagMode: settings.sync.brevoTagMode,
      brevoDoiTemplateId: settings.sync.brevoDoiTemplateId ?? undefined,
      // After confirming, the customer lands on the shop's OFN shopfront.
      brevoDoiRedirectUrl: context.enterprises.find((e) => e.shopUrl)?.shopUrl ?? undefined,
    },
    onChunk: () => {
      if (writer.written - collectedAt >= COLLECT_EVERY_WRITTEN) {
        collectedAt = writer.written;
        releaseMemory();
      }
      report();
    },
  });
  const report = () =>
    hooks.onProgress?.({
      done: counts.fetched + writer.written,
      total: fetchTotal + writer.dispatched,
      counts: { ...counts },
    });
  const pendingFor = (contact: MappedContact, sources: number): PendingContact | undefined => {
    const hash = contactHash(contact, scope);
    const sent = writer.sent.get(contact.email);
    const previous = stored.get(contact.email);
    if (sent ? sent.hash === hash : previous?.contentHash === hash && previous.inOfn) return undefined;
    const removeTags = writer.removedTags(contact.email, contact.tags);
    return { contact: { ...contact, removeTags }, hash, sources, leaving: false };
  };
  const book = newContactBook();
  // Read once, not sent yet, and (from what the stored state says) bought from one enterprise only,
  // so that nothing later in OFN is likely to change them. Anything that does change is sent again.
  const early = new Set<string>();
  let ready: PendingContact[] = [];
  const sendEarly = () => {
    for (const email of early) {
      early.delete(email);
      const contact = book.contacts.get(email)!;
      if (provider.writeOrderMatters(contact)) continue;
      const item = pendingFor(contact, book.sources.get(email) ?? 1);
      if (item) ready.push(item);
      if (ready.length === provider.writeChunkSize) {
        writer.write(ready);
        ready = [];
      }
    }
  };

  // 2. Read every customer of the selected enterprises (pages of at most 100, links.next).
  const ofn = createOfnClient({
    instance: shop.ofnInstance,
    apiKey: context.ofnApiKey,
    limiter: deps.ofnLimiters.for(new URL(shop.ofnInstance).origin),
    fetch: deps.ofnFetch,
    retryBaseMs: deps.ofnRetryBaseMs,
  });
  const totals = new Map<number, number>();
  await Promise.all(
    selected.map(async (enterprise) => {
      for await (const page of ofn.customerPages(enterprise.enterpriseId)) {
        guard();
        totals.set(enterprise.enterpriseId, page.total);
        fetchTotal = [...totals.values()].reduce((a, b) => a + b, 0);
        const touched = addCustomers(
          book,
          page.customers,
          enterprise.name,
          settings.sync.mapping,
          settings.sync.requireTag,
        );
        for (const email of touched) {
          if (!writer.sent.has(email) && (stored.get(email)?.sources ?? 1) <= 1) early.add(email);
        }
        sendEarly();
        if (Math.floor(book.fetched / COLLECT_EVERY) > Math.floor(counts.fetched / COLLECT_EVERY)) {
          releaseMemory();
        }
        counts.fetched = book.fetched;
        report();
      }
    }),
  );
  counts.invalid = book.invalid.length;
  counts.skippedConsent = book.skippedByConsent;
  // OFN answers 200 with no data for a wrong enterprise or a blank key: never read that as "everyone left".
  if (book.fetched === 0 && storedInOfn > 0) {
    throw new UpstreamError(
      "ofn",
      "OFN returned no customers at all although this shop had some. Check the API key and the enterprises chosen; nothing was changed.",
      { retryable: false, permanent: true },
    );
  }
  // What was sent early must have landed before the same contacts can be sent again.
  await writer.drain();
  const small = book.fetched < SMALL_SYNC;
  releaseMemory({ small });

  // 3. The rest: every contact whose data differs from what was last written (in this run or before).
  const pending: PendingContact[] = [];
  for (const contact of book.contacts.values()) {
    const item = pendingFor(contact, book.sources.get(contact.email) ?? 1);
    if (item) pending.push(item);
  }
  // Contacts still waiting for a full chunk were not sent: the pass above included them.
  ready = [];
  const gone = [...stored.entries()].filter(([email, s]) => s.inOfn && !book.contacts.has(email));
  if (settings.sync.goneCustomers === "remove_tag") {
    for (const [email, s] of gone) {
      if (s.tags.length === 0) continue;
      pending.push({
        contact: { email, firstName: "", lastName: "", phone: "", code: "", tags: [], removeTags: s.tags },
        hash: "",
        sources: s.sources,
        leaving: true,
      });
    }
  }
  // A stable order: enterprises are read concurrently, and when two contacts conflict at the
  // provider (Brevo: the same phone twice) the first written wins; the outcome must not vary by run.
  pending.sort((a, b) =>
    a.contact.email < b.contact.email ? -1 : a.contact.email > b.contact.email ? 1 : 0,
  );
  const goneEmails = new Set(gone.map(([email]) => email));
  const bookSize = book.contacts.size;
  // What is no longer needed goes now (a sync's data is its memory peak: 50,000 contacts ~30 MB).
  book.contacts.clear();
  book.sources.clear();
  releaseMemory({ small });
  for (let i = 0; i < pending.length; i += provider.writeChunkSize) {
    writer.write(pending.slice(i, i + provider.writeChunkSize));
  }
  pending.length = 0;
  report();
  await writer.drain();

  let changed = 0;
  for (const [email, outcome] of writer.outcomes) {
    if (outcome === "new") counts.new += 1;
    else if (outcome === "updated") counts.updated += 1;
    else counts.failed += 1;
    // Gone customers are never in the book: their tag removal does not make a contact "changed".
    if (!goneEmails.has(email)) changed += 1;
  }
  counts.unchanged = Math.max(0, bookSize - changed);

  // Gone contacts are never deleted: with "keep" they are only marked, with "remove_tag" untagged above.
  await markGone(deps.db, shopId, [...goneEmails]);
  counts.gone = goneEmails.size;
  report();
  releaseMemory({ small });
  return {
    counts,
    invalidEmails: book.invalid.slice(0, MAX_LISTED_INVALID),
    warnings: fields.warnings,
    ofnRequests: ofn.requestCount,
  };
}
