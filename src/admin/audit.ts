/** The audit log as the operator reads it: admin, shop, CLI and system actions, newest first. */
import { desc, eq, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { auditLog, shops } from "../db/schema/index.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditEntry {
  id: number;
  at: Date;
  actor: string;
  action: string;
  /** The shop the entry is about; for a deletion, the deleted shop's id from the detail. */
  shopId: string | null;
  /** Null once the shop is deleted. */
  shopName: string | null;
  detail: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntry[];
  total: number;
  page: number;
  pageSize: number;
}

export async function listAuditEntries(
  db: Db,
  search: { shopId?: string; page: number; pageSize: number },
): Promise<AuditPage> {
  if (search.shopId !== undefined && !UUID.test(search.shopId)) {
    return { items: [], total: 0, page: search.page, pageSize: search.pageSize };
  }
  // A deletion is recorded without the shop reference (the row is gone), its id kept in the detail.
  const where = search.shopId
    ? or(eq(auditLog.shopId, search.shopId), sql`${auditLog.detail}->>'shopId' = ${search.shopId}`)
    : undefined;
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actor: auditLog.actor,
      action: auditLog.action,
      shopId: auditLog.shopId,
      shopName: shops.name,
      detail: auditLog.detail,
      total: sql<number>`count(*) over ()`,
    })
    .from(auditLog)
    .leftJoin(shops, eq(shops.id, auditLog.shopId))
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(search.pageSize)
    .offset((search.page - 1) * search.pageSize);
  return {
    items: rows.map(({ total: _total, ...row }) => {
      const detail = (row.detail && typeof row.detail === "object" ? row.detail : {}) as Record<
        string,
        unknown
      >;
      const fromDetail = typeof detail.shopId === "string" ? detail.shopId : null;
      return { ...row, shopId: row.shopId ?? fromDetail, detail };
    }),
    total: Number(rows[0]?.total ?? 0),
    page: search.page,
    pageSize: search.pageSize,
  };
}
