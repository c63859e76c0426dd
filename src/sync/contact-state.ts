/** The per-shop contact state table: what was last written, read in one pass and upserted in chunks. */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { contacts } from "../db/schema/index.js";

export interface StoredContact {
  contentHash: string | null;
  errorPermanent: boolean;
  inOfn: boolean;
  tags: string[];
}

export async function loadContactState(db: Db, shopId: string): Promise<Map<string, StoredContact>> {
  const rows = await db
    .select({
      email: contacts.email,
      contentHash: contacts.contentHash,
      errorPermanent: contacts.errorPermanent,
      inOfn: contacts.inOfn,
      tags: contacts.tags,
    })
    .from(contacts)
    .where(eq(contacts.shopId, shopId));
  return new Map(rows.map(({ email, ...rest }) => [email, rest]));
}

export interface ContactStateWrite {
  email: string;
  contentHash: string | null;
  providerStatus?: string | null;
  lastError?: string | null;
  errorPermanent: boolean;
  tags: string[];
  inOfn: boolean;
}

export async function saveContactState(db: Db, shopId: string, writes: ContactStateWrite[]): Promise<void> {
  const now = new Date();
  for (let i = 0; i < writes.length; i += 1000) {
    const chunk = writes.slice(i, i + 1000);
    await db
      .insert(contacts)
      .values(
        chunk.map((w) => ({
          shopId,
          email: w.email,
          contentHash: w.contentHash,
          providerStatus: w.providerStatus ?? null,
          lastError: w.lastError ?? null,
          errorPermanent: w.errorPermanent,
          tags: w.tags,
          inOfn: w.inOfn,
          syncedAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: [contacts.shopId, contacts.email],
        set: {
          contentHash: sql`excluded.content_hash`,
          providerStatus: sql`coalesce(excluded.provider_status, ${contacts.providerStatus})`,
          lastError: sql`excluded.last_error`,
          errorPermanent: sql`excluded.error_permanent`,
          tags: sql`excluded.tags`,
          inOfn: sql`excluded.in_ofn`,
          syncedAt: sql`excluded.synced_at`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  }
}

export async function markGone(db: Db, shopId: string, emails: string[]): Promise<void> {
  for (let i = 0; i < emails.length; i += 1000) {
    await db
      .update(contacts)
      .set({ inOfn: false, updatedAt: new Date() })
      .where(and(eq(contacts.shopId, shopId), inArray(contacts.email, emails.slice(i, i + 1000))));
  }
}
