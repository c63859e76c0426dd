/**
 * `GET /api/v1/customers` and `GET /api/v1/enterprises/:id/customers`, faithful to OFN's
 * `Api::V1::CustomersController` + `JsonApiPagination` + Pagy 9, bugs included (ofn.md §2.9, §2.10).
 */
import type { Context, Hono } from "hono";
import { renderJson, tagAccount } from "./http.js";
import type { OfnStore } from "./store.js";
import type { OfnCustomer, OfnUser } from "./types.js";

const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 200;
/** What Pagy really returns per page: its app-wide limit, because OFN passes `items:` not `limit:`. */
const PAGY_LIMIT = 100;

export interface ApiContext {
  store: OfnStore;
  baseUrl(c: Context): string;
}

type Auth = { kind: "anonymous" } | { kind: "user"; user: OfnUser } | { kind: "invalid"; key: string };

/** v1 and DFC read `X-Api-Token`, falling back to `?token=`; a blank key means "not logged in". */
export function authenticate(c: Context, store: OfnStore): Auth {
  const key = c.req.header("X-Api-Token") ?? c.req.query("token");
  if (key === undefined || key.trim() === "") return { kind: "anonymous" };
  const user = store.userByKey(key);
  if (!user) {
    tagAccount(c, "invalid-key");
    return { kind: "invalid", key };
  }
  tagAccount(c, `ofn-user-${user.id}`);
  return { kind: "user", user };
}

export function mountCustomerRoutes(app: Hono, ctx: ApiContext): void {
  app.get("/api/v1/customers", (c) => listCustomers(c, ctx, c.req.query("enterprise_id")));
  app.get("/api/v1/enterprises/:enterprise_id/customers", (c) =>
    listCustomers(c, ctx, c.req.param("enterprise_id")),
  );
}

function listCustomers(c: Context, ctx: ApiContext, enterpriseParam: string | undefined) {
  const auth = authenticate(c, ctx.store);
  if (auth.kind === "invalid") {
    // OFN echoes the rejected key; the bridge must never log this body.
    return renderJson(c, { errors: [{ detail: `Invalid API key (${auth.key}) specified.` }] }, 401);
  }
  const perPageParam = c.req.query("per_page");
  const pageParam = c.req.query("page");
  const limit = perPageParam === undefined ? PAGY_LIMIT : rubyToI(perPageParam);
  if (limit < 1) return pagyError(c, "limit", limit);
  const page = pageParam === undefined ? 1 : rubyToI(pageParam);
  if (page < 1) return pagyError(c, "page", page);

  const scope = auth.kind === "user" ? scopeFor(ctx.store, auth.user, enterpriseParam) : [];
  const size = Math.min(limit, PAGY_LIMIT);
  const pages = Math.max(1, Math.ceil(scope.length / size));
  const records = scope.slice((page - 1) * size, page * size);
  const base = ctx.baseUrl(c);
  const link = (n: number | null) => (n === null ? null : pageUrl(c, base, n));
  const withBalance = wantsBalance(c);
  return renderJson(c, {
    data: records.map((customer) => serializeCustomer(customer, base, withBalance)),
    meta: {
      pagination: {
        results: scope.length,
        pages,
        page,
        // Reported per_page is the requested value, not the real page size (the bug).
        per_page: clamp(
          perPageParam === undefined ? DEFAULT_PER_PAGE : rubyToI(perPageParam),
          1,
          MAX_PER_PAGE,
        ),
      },
    },
    links: {
      self: link(page),
      first: link(1),
      prev: link(page < 2 ? null : page - 1),
      next: link(page >= pages ? null : page + 1),
      last: link(pages),
    },
  });
}

function scopeFor(
  store: OfnStore,
  user: OfnUser,
  enterpriseParam: string | undefined,
): readonly OfnCustomer[] {
  if (enterpriseParam === undefined) return store.customersVisibleTo(user);
  // `where(enterprise_id: "abc")` matches nothing rather than failing.
  if (!/^\d+$/.test(enterpriseParam)) return [];
  return store.customersVisibleTo(user, Number(enterpriseParam));
}

function pagyError(c: Context, variable: string, value: number) {
  return renderJson(c, { errors: [{ detail: `expected :${variable} >= 1; got ${value}` }] }, 422);
}

function wantsBalance(c: Context): boolean {
  return (c.req.query("extra_fields[customer]") ?? "").split(",").includes("balance");
}

export function serializeCustomer(customer: OfnCustomer, base: string, withBalance = false) {
  return {
    id: String(customer.id),
    type: "customer",
    attributes: {
      id: customer.id,
      enterprise_id: customer.enterprise_id,
      first_name: customer.first_name,
      last_name: customer.last_name,
      code: customer.code,
      email: customer.email,
      allow_charges: customer.allow_charges,
      tags: customer.tags,
      terms_and_conditions_accepted_at: customer.terms_and_conditions_accepted_at,
      billing_address: customer.billing_address,
      shipping_address: customer.shipping_address,
      ...(withBalance ? { balance: customer.balance ?? 0 } : {}),
    },
    relationships: {
      enterprise: {
        data: { id: String(customer.enterprise_id), type: "enterprise" },
        // Dead link in OFN too: there is no v1 enterprises controller.
        links: { related: `${base}/api/v1/enterprises/${customer.enterprise_id}` },
      },
    },
  };
}

/** Rails `url_for(params: query.merge(page:))`: every query parameter kept, sorted by `to_query`. */
function pageUrl(c: Context, base: string, page: number): string {
  const params = new Map<string, string>();
  for (const [key, value] of new URL(c.req.url).searchParams) params.set(key, value);
  params.set("page", String(page));
  const query = [...params].map(([key, value]) => `${cgiEscape(key)}=${cgiEscape(value)}`).sort();
  return `${base}${c.req.path}?${query.join("&")}`;
}

/** Ruby's CGI.escape: only [A-Za-z0-9_.~-] stay, space becomes "+". */
function cgiEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** Ruby String#to_i: leading integer or 0 ("abc" → 0, "30x" → 30). */
function rubyToI(text: string): number {
  const value = Number.parseInt(text, 10);
  return Number.isNaN(value) ? 0 : value;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
