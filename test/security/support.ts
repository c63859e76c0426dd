/** Helpers for the security tests: configured shops signed in through the pages, and database snapshots. */
import { asc, eq, sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.js";
import { shops } from "../../src/db/schema/index.js";
import { SHOP_TABLES } from "../admin/fill-shop.js";
import { csrfOf, setUpThroughPages, type WebWorld } from "../web/harness.js";

export type SignedInShop = Awaited<ReturnType<typeof signedInShop>>;

/** A shop set up through every page, signed in, with its id, keys and the form token of its session. */
export async function signedInShop(world: WebWorld, provider: "mailchimp" | "brevo" = "mailchimp") {
  const setUp = await setUpThroughPages(world, { provider });
  const [row] = await world.t.deps.database.db
    .select({ id: shops.id, name: shops.name })
    .from(shops)
    .where(eq(shops.ofnApiKeyLast4, setUp.seeded.ofnKey.slice(-4)));
  if (!row) throw new Error("shop not stored");
  return { ...setUp, shopId: row.id, name: row.name, csrf: csrfOf(setUp.dashboard) };
}

/** Every row the bridge keeps about one shop, in a stable order: to prove a request changed nothing. */
export async function shopSnapshot(world: WebWorld, shopId: string): Promise<string> {
  const db = world.t.deps.database.db;
  const parts: Record<string, unknown> = {};
  for (const [name, { table, column }] of Object.entries(SHOP_TABLES)) {
    parts[name] = await db.select().from(table).where(eq(column, shopId)).orderBy(asc(column));
  }
  return JSON.stringify(parts, (_key, value) => (typeof value === "bigint" ? String(value) : value));
}

/**
 * Every row of every table, in a stable order. Session rows are compared by id only: reading a
 * session may slide its expiry, which is not a change anyone asked for.
 */
export async function databaseSnapshot(world: WebWorld): Promise<string> {
  const db = world.t.deps.database.db;
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const parts: Record<string, unknown> = {};
  for (const { name } of tables) {
    if (name.startsWith("__drizzle")) continue;
    const select =
      name === "sessions"
        ? sql`select id_hash, kind, shop_id from sessions order by 1`
        : sql`select * from ${sql.identifier(name)} order by 1`;
    parts[name] = await queryRows(db, select);
  }
  return JSON.stringify(parts, (_key, value) => (typeof value === "bigint" ? String(value) : value));
}
