/** The admin pages' frame and small shared parts: navigation, form token, times, pagination. */
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { Locale, Translate } from "../../i18n/index.js";
import { Layout } from "../../views/layout.js";
import type { AdminEnv } from "../middleware.js";

export interface AdminUi {
  t: Translate;
  locale: Locale;
  csrf: string;
  signedIn: boolean;
}

export function adminUi(c: Context<AdminEnv>): AdminUi {
  return {
    t: c.get("t"),
    locale: c.get("locale"),
    csrf: c.get("csrfToken"),
    signedIn: Boolean(c.get("adminSession")),
  };
}

export function CsrfInput({ ui }: { ui: AdminUi }) {
  return <input type="hidden" name="_csrf" value={ui.csrf} />;
}

function AdminNav({ ui }: { ui: AdminUi }) {
  if (!ui.signedIn) return null;
  return (
    <nav class="account-bar" aria-label={ui.t("admin.nav.label")}>
      <a href="/admin">{ui.t("admin.nav.shops")}</a> · <a href="/admin/audit">{ui.t("admin.nav.audit")}</a> ·{" "}
      <form method="post" action="/admin/logout" class="inline">
        <CsrfInput ui={ui} />
        <button type="submit" class="secondary">
          {ui.t("admin.nav.signOut")}
        </button>
      </form>
    </nav>
  );
}

export function renderAdmin(
  c: Context<AdminEnv>,
  options: { title: string; body: Child; status?: 200 | 400 | 401 | 404 | 409 },
) {
  const ui = adminUi(c);
  c.status(options.status ?? 200);
  return c.html(
    <Layout title={`${options.title} · ${ui.t("admin.name")}`} locale={ui.locale} t={ui.t}>
      <AdminNav ui={ui} />
      {options.body}
    </Layout>,
  );
}

/** A moment in UTC, the operator's reference whatever the shops' time zones. */
export function formatTime(ui: AdminUi, date: Date | null | undefined): string {
  if (!date) return "—";
  const text = new Intl.DateTimeFormat(ui.locale === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "short",
    timeStyle: "short",
    timeZone: "UTC",
  }).format(date);
  return `${text} UTC`;
}

export function Notice({ text }: { text: string | undefined }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}

export function Pagination(props: {
  ui: AdminUi;
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  if (pages <= 1) return null;
  return (
    <nav aria-label={props.ui.t("admin.pagination.label")}>
      {props.page > 1 ? (
        <a href={props.href(props.page - 1)}>{props.ui.t("admin.pagination.previous")}</a>
      ) : null}{" "}
      <span>{props.ui.t("admin.pagination.position", { page: props.page, pages })}</span>{" "}
      {props.page < pages ? (
        <a href={props.href(props.page + 1)}>{props.ui.t("admin.pagination.next")}</a>
      ) : null}
    </nav>
  );
}

/** A query string from the defined values only. */
export function queryString(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== "") params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}
