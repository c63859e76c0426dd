/**
 * Statements built once per database handle. drizzle turns a query builder into SQL text on every
 * call, even for `.prepare()`d queries (in the webhook bench that was 0.8 ms of bridge CPU per
 * campaign); a statement kept here is built once, with `sql.placeholder(name)` where values go,
 * and only executed after that. postgres.js then keys its server-side prepared statement by the
 * text, so PostgreSQL parses and plans it once per connection too.
 *
 * Keyed by handle, so a statement built on the pool never runs inside a caller's transaction.
 */
import type { Db } from "./client.js";

const statements = new WeakMap<Db, Map<string, unknown>>();

export function preparedOnce<T>(db: Db, key: string, build: () => T): T {
  let byKey = statements.get(db);
  if (!byKey) {
    byKey = new Map();
    statements.set(db, byKey);
  }
  let statement = byKey.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build();
    byKey.set(key, statement);
  }
  return statement;
}
