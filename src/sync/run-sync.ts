/**
 * One shop's customer sync: OFN customers of the selected enterprises -> normalised contacts ->
 * diff against the stored state -> only new and changed contacts written in the provider's bulk
 * form -> per-contact outcomes stored. Every write is an idempotent upsert, and state is saved
 * after each chunk, so a run killed anywhere and started again ends with the same audience.
 */

import type { Keyring } from "../crypto/keyring.js";
import type { Db } from "../db/client.js";
import { AppError, UpstreamError } from "../errors.js";
import { Limiter, type LimiterPool } from "../limiter.js";
import type { Logger } from "../logger.js";
import { releaseMemory } from "../memory.js";
import { metrics } from "../metrics.js";
import { createOfnClient } from "../ofn/client.js";
import type { MappedContact, NewsletterProvider, ProviderKind } from "../providers/types.js";
import { loadShopContext } from "../shops/context.js";
import { type ContactStateWrite, loadContactState, markGone, saveContactState } from "./contact-state.js";
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
/** Customers read between two garbage collections (see src/memory.ts). */
const COLLECT_EVERY = 25_000;
const COLLECT_EVERY_CHUNKS = 20;

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
  let total = 0;
  let written = 0;
  const report = () => hooks.onProgress?.({ done: counts.fetched + written, total, counts: { ...counts } });
  const guard = () => {
    if (hooks.stillOwned && !hooks.stillOwned()) throw new LeaseLostError();
  };

  // 1. Read every customer of the selected enterprises (pages of at most 100, links.next).
  const ofn = createOfnClient({
    instance: shop.ofnInstance,
    apiKey: context.ofnApiKey,
    limiter: deps.ofnLimiters.for(new URL(shop.ofnInstance).origin),
    fetch: deps.ofnFetch,
    retryBaseMs: deps.ofnRetryBaseMs,
  });
  const book = newContactBook();
  const totals = new Map<number, number>();
  await Promise.all(
    selected.map(async (enterprise) => {
      for await (const page of ofn.customerPages(enterprise.enterpriseId)) {
        guard();
        totals.set(enterprise.enterpriseId, page.total);
        total = [...totals.values()].reduce((a, b) => a + b, 0);
        addCustomers(book, page.customers, enterprise.name, settings.sync.mapping, settings.sync.requireTag);
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
  releaseMemory();

  const stored = await loadContactState(deps.db, shopId);
  const storedInOfn = [...stored.values()].filter((s) => s.inOfn).length;
  // OFN answers 200 with no data for a wrong enterprise or a blank key: never read that as "everyone left".
  if (book.fetched === 0 && storedInOfn > 0) {
    throw new UpstreamError(
      "ofn",
      "OFN returned no customers at all although this shop had some. Check the API key and the enterprises chosen; nothing was changed.",
      { retryable: false, permanent: true },
    );
  }

  // 2. Fields, then the diff: only new and changed contacts are written.
  const provider = deps.providers(connection.provider, context.providerApiKey);
  const fields = await provider.prepareFields(connection.audienceId);
  const scope = [
    connection.provider,
    connection.audienceId,
    settings.sync.consent,
    [...fields.available].sort(),
  ].join("|");
  const pending: Array<{ contact: MappedContact; hash: string; isNew: boolean }> = [];
  for (const contact of book.contacts.values()) {
    const previous = stored.get(contact.email);
    const hash = contactHash(contact, scope);
    if (previous?.contentHash === hash && previous.inOfn) {
      counts.unchanged += 1;
      continue;
    }
    contact.removeTags = (previous?.tags ?? []).filter((tag) => !contact.tags.includes(tag));
    pending.push({ contact, hash, isNew: !previous?.contentHash });
  }
  const gone = [...stored.entries()].filter(([email, s]) => s.inOfn && !book.contacts.has(email));
  if (settings.sync.goneCustomers === "remove_tag") {
    for (const [email, s] of gone) {
      if (s.tags.length === 0) continue;
      pending.push({
        contact: { email, firstName: "", lastName: "", phone: "", code: "", tags: [], removeTags: s.tags },
        hash: "",
        isNew: false,
      });
    }
  }
  // A stable order: enterprises are read concurrently, and when two contacts conflict at the
  // provider (Brevo: the same phone twice) the first written wins; the outcome must not vary by run.
  pending.sort((a, b) =>
    a.contact.email < b.contact.email ? -1 : a.contact.email > b.contact.email ? 1 : 0,
  );
  total = counts.fetched + pending.length;
  report();

  // 3. Write in the provider's bulk form, saving outcomes after every chunk. What is no longer
  // needed goes now: the fetched book (the pending list holds what is written) and, below, each
  // chunk once written. A sync's data is its memory peak (50,000 contacts: ~30 MB live).
  const goneEmails = new Set(gone.map(([email]) => email));
  book.contacts.clear();
  const limiter = new Limiter(provider.writeConcurrency);
  const chunks: (typeof pending)[] = [];
  for (let i = 0; i < pending.length; i += provider.writeChunkSize) {
    chunks.push(pending.slice(i, i + provider.writeChunkSize));
  }
  pending.length = 0;
  releaseMemory();
  await Promise.all(
    chunks.map((chunk, index) =>
      limiter.run(async () => {
        guard();
        const outcomes = await provider.writeContacts(
          chunk.map((p) => p.contact),
          fields,
          {
            audienceId: connection.audienceId!,
            consent: settings.sync.consent,
            brevoTagMode: settings.sync.brevoTagMode,
            brevoDoiTemplateId: settings.sync.brevoDoiTemplateId ?? undefined,
            // After confirming, the customer lands on the shop's OFN shopfront.
            brevoDoiRedirectUrl: context.enterprises.find((e) => e.shopUrl)?.shopUrl ?? undefined,
          },
        );
        const byEmail = new Map(outcomes.map((outcome) => [outcome.email, outcome]));
        const writes: ContactStateWrite[] = chunk.map(({ contact, hash, isNew }) => {
          const outcome = byEmail.get(contact.email);
          const leaving = goneEmails.has(contact.email);
          if (outcome?.ok) {
            if (!leaving && isNew) counts.new += 1;
            else if (!leaving) counts.updated += 1;
            return {
              email: contact.email,
              contentHash: leaving ? (stored.get(contact.email)?.contentHash ?? null) : hash,
              providerStatus: outcome.status ?? null,
              errorPermanent: false,
              tags: contact.tags,
              inOfn: !leaving,
            };
          }
          counts.failed += 1;
          const previous = stored.get(contact.email);
          return {
            email: contact.email,
            // A permanent refusal keeps this data's hash so it is not retried until the data changes.
            contentHash: outcome?.permanent ? hash : (previous?.contentHash ?? null),
            lastError: outcome?.error ?? "not written",
            errorPermanent: Boolean(outcome?.permanent),
            tags: previous?.tags ?? [],
            inOfn: !leaving,
          };
        });
        await saveContactState(deps.db, shopId, writes);
        metrics.contactsWritten.inc(
          { provider: provider.kind },
          outcomes.filter((outcome) => outcome.ok).length,
        );
        written += chunk.length;
        chunks[index] = [];
        if (index % COLLECT_EVERY_CHUNKS === COLLECT_EVERY_CHUNKS - 1) releaseMemory();
        report();
      }),
    ),
  );

  // Gone contacts are never deleted: with "keep" they are only marked, with "remove_tag" untagged above.
  await markGone(deps.db, shopId, [...goneEmails]);
  counts.gone = goneEmails.size;
  report();
  releaseMemory();
  return {
    counts,
    invalidEmails: book.invalid.slice(0, MAX_LISTED_INVALID),
    warnings: fields.warnings,
    ofnRequests: ofn.requestCount,
  };
}
