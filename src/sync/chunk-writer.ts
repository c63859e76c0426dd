/**
 * Writes contacts in the provider's bulk form, a chunk at a time (at most `writeConcurrency` at
 * once), and stores each chunk's outcomes before it counts as written. Remembers what it sent for
 * each email in this run, so that a contact written early (while OFN was still being read) and
 * changed afterwards (the same customer found in another enterprise) is written again, and one
 * that did not change is not.
 */
import type { Db } from "../db/client.js";
import { Limiter } from "../limiter.js";
import { metrics } from "../metrics.js";
import type {
  ContactWriteOptions,
  FieldPreparation,
  MappedContact,
  NewsletterProvider,
} from "../providers/types.js";
import { type ContactStateWrite, type StoredContact, saveContactState } from "./contact-state.js";

export interface PendingContact {
  contact: MappedContact;
  hash: string;
  sources: number;
  /** A customer gone from OFN whose tags are being taken off. */
  leaving: boolean;
}

export type WriteOutcome = "new" | "updated" | "failed";

export class ChunkWriter {
  /** Per email: the hash and tags of the data last sent in this run. */
  readonly sent = new Map<string, { hash: string; tags: string[] }>();
  /** Per email: the outcome of its last write in this run. */
  readonly outcomes = new Map<string, WriteOutcome>();
  dispatched = 0;
  written = 0;
  private readonly limiter: Limiter;
  private readonly running = new Set<Promise<void>>();
  private failure: unknown;

  constructor(
    private readonly deps: {
      db: Db;
      shopId: string;
      provider: NewsletterProvider;
      fields: FieldPreparation;
      options: ContactWriteOptions;
      stored: Map<string, StoredContact>;
      /** Throws when the run lost its lease. */
      guard: () => void;
      /** After each chunk is stored. */
      onChunk: () => void;
    },
  ) {
    this.limiter = new Limiter(deps.provider.writeConcurrency);
  }

  /** What to take off: the tags last written (in this run, or else before it) that no longer apply. */
  removedTags(email: string, tags: string[]): string[] {
    const before = this.sent.get(email)?.tags ?? this.deps.stored.get(email)?.tags ?? [];
    return before.filter((tag) => !tags.includes(tag));
  }

  /** Queues one chunk; a failure surfaces at the next `drain`. */
  write(chunk: PendingContact[]): void {
    if (chunk.length === 0) return;
    this.dispatched += chunk.length;
    for (const item of chunk) this.sent.set(item.contact.email, { hash: item.hash, tags: item.contact.tags });
    const task: Promise<void> = this.limiter
      .run(() => this.writeChunk(chunk))
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Waits for every chunk queued so far; rethrows the first failure. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
    if (this.failure) throw this.failure;
  }

  private async writeChunk(chunk: PendingContact[]): Promise<void> {
    const { deps } = this;
    if (this.failure) return;
    deps.guard();
    const outcomes = await deps.provider.writeContacts(
      chunk.map((p) => p.contact),
      deps.fields,
      deps.options,
    );
    const byEmail = new Map(outcomes.map((outcome) => [outcome.email, outcome]));
    const writes: ContactStateWrite[] = chunk.map(({ contact, hash, sources, leaving }) => {
      const outcome = byEmail.get(contact.email);
      const previous = deps.stored.get(contact.email);
      if (outcome?.ok) {
        if (!leaving) this.outcomes.set(contact.email, previous?.contentHash ? "updated" : "new");
        return {
          email: contact.email,
          contentHash: leaving ? (previous?.contentHash ?? null) : hash,
          providerStatus: outcome.status ?? null,
          errorPermanent: false,
          tags: contact.tags,
          inOfn: !leaving,
          sources,
        };
      }
      this.outcomes.set(contact.email, "failed");
      return {
        email: contact.email,
        // A permanent refusal keeps this data's hash so it is not retried until the data changes.
        contentHash: outcome?.permanent ? hash : (previous?.contentHash ?? null),
        lastError: outcome?.error ?? "not written",
        errorPermanent: Boolean(outcome?.permanent),
        tags: previous?.tags ?? [],
        inOfn: !leaving,
        sources,
      };
    });
    await saveContactState(deps.db, deps.shopId, writes);
    metrics.contactsWritten.inc(
      { provider: deps.provider.kind },
      outcomes.filter((outcome) => outcome.ok).length,
    );
    this.written += chunk.length;
    deps.onChunk();
  }
}
