/** The per-shop contact state table: what was last written, read in one pass and upserted in chunks. */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { contacts } from "../db/schema/index.js";

export interface StoredContact {
  contentHash: string | null;
  errorPermanent: boolean;
  inOfn: boolean;
  tags: string[];
  /** OFN customer records behind the contact at its last write (see the column). */
  sources: number;
}

export async function loadContactState(db: Db, shopId: string): Promise<Map<string, StoredContact>> {
  const rows = await db
    .select({
      email: contacts.email,
      contentHash: contacts.contentHash,
      errorPermanent: contacts.errorPermanent,
      inOfn: contacts.inOfn,
      tags: contacts.tags,
      sources: contacts.sources,
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
  sources?: number;
}

/**
 * Upserts in chunks of 1,000 rows, each chunk sent as one JSON parameter: a multi-row VALUES list
 * built by the query builder cost more CPU than the whole provider exchange (measured: 2.6 s of
 * 7.6 s for 50,000 contacts).
 */
export async function saveContactState(db: Db, shopId: string, writes: ContactStateWrite[]): Promise<void> {
  const now = new Date().toISOString();
  for (let i = 0; i < writes.length; i += 1000) {
    const rows = writes.slice(i, i + 1000).map((w) => ({
      email: w.email,
      content_hash: w.contentHash,
      provider_status: w.providerStatus ?? null,
      last_error: w.lastError ?? null,
      error_permanent: w.errorPermanent,
      tags: w.tags,
      in_ofn: w.inOfn,
      sources: w.sources ?? 1,
    }));
    await db.execute(sql`
      insert into contacts as c
        (shop_id, email, content_hash, provider_status, last_error, error_permanent, tags, in_ofn,
         sources, synced_at, updated_at)
      select ${shopId}::uuid, r.email, r.content_hash, r.provider_status, r.last_error, r.error_permanent,
             r.tags, r.in_ofn, r.sources, ${now}::timestamptz, ${now}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
        email text, content_hash text, provider_status text, last_error text, error_permanent boolean,
        tags jsonb, in_ofn boolean, sources smallint)
      on conflict (shop_id, email) do update set
        content_hash = excluded.content_hash,
        provider_status = coalesce(excluded.provider_status, c.provider_status),
        last_error = excluded.last_error,
        error_permanent = excluded.error_permanent,
        tags = excluded.tags,
        in_ofn = excluded.in_ofn,
        sources = excluded.sources,
        synced_at = excluded.synced_at,
        updated_at = excluded.updated_at`);
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
