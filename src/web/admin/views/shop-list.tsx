import type { ShopHealth, ShopPage, ShopStatus } from "../../../admin/health.js";
import type { MessageKey } from "../../i18n/index.js";
import { type AdminUi, formatTime, Notice, Pagination, queryString } from "./frame.js";

/** A status word in the operator's language; an unknown value is shown as it is. */
export function statusLabel(
  ui: AdminUi,
  prefix: "admin.status" | "admin.sync" | "admin.provider",
  value: string,
): string {
  const key = `${prefix}.${value}` as MessageKey;
  const text = ui.t(key);
  return text === key ? value : text;
}

export function SyncSummary({ ui, shop }: { ui: AdminUi; shop: ShopHealth }) {
  const run = shop.lastSync;
  if (!run) return <span class="muted">{ui.t("admin.sync.never")}</span>;
  const counts = run.counts;
  return (
    <span>
      {statusLabel(ui, "admin.sync", run.status)},{" "}
      {formatTime(ui, run.finishedAt ?? run.startedAt ?? run.queuedAt)}
      <br />
      <span class="muted">
        {ui.t("admin.sync.counts", {
          new: counts.new ?? 0,
          updated: counts.updated ?? 0,
          failed: counts.failed ?? 0,
        })}
      </span>
    </span>
  );
}

function ShopRow({ ui, shop }: { ui: AdminUi; shop: ShopHealth }) {
  return (
    <tr>
      <td>
        <a href={`/admin/shops/${shop.id}`}>{shop.name || shop.id}</a>
        <br />
        <span class="muted">{shop.ofnInstance}</span>
      </td>
      <td>{statusLabel(ui, "admin.status", shop.status)}</td>
      <td>
        {shop.provider
          ? `${shop.provider.kind}: ${statusLabel(ui, "admin.provider", shop.provider.status)}`
          : "—"}
      </td>
      <td>
        <SyncSummary ui={ui} shop={shop} />
      </td>
      <td>{shop.lastError ?? "—"}</td>
      <td>{shop.pendingCampaigns}</td>
      <td>
        {shop.lastWebhook ? (
          <span>
            {shop.lastWebhook.event} ({shop.lastWebhook.outcome})
            <br />
            <span class="muted">{formatTime(ui, shop.lastWebhook.receivedAt)}</span>
          </span>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}

export function ShopListView(props: {
  ui: AdminUi;
  page: ShopPage;
  q?: string;
  status?: ShopStatus;
  notice?: string;
}) {
  const { ui, page } = props;
  const statuses: ShopStatus[] = ["active", "paused", "broken"];
  return (
    <section aria-labelledby="shops-title">
      <h1 id="shops-title">{ui.t("admin.shops.title")}</h1>
      <Notice text={props.notice} />
      <search>
        <form method="get" action="/admin" class="card">
          <label for="q">{ui.t("admin.shops.search")}</label>
          <p class="hint" id="q-hint">
            {ui.t("admin.shops.searchHint")}
          </p>
          <input
            id="q"
            name="q"
            type="search"
            value={props.q ?? ""}
            maxlength={200}
            aria-describedby="q-hint"
          />
          <label for="status">{ui.t("admin.shops.status")}</label>
          <select id="status" name="status">
            <option value="">{ui.t("admin.shops.anyStatus")}</option>
            {statuses.map((s) => (
              <option value={s} selected={props.status === s}>
                {statusLabel(ui, "admin.status", s)}
              </option>
            ))}
          </select>
          <p>
            <button type="submit">{ui.t("admin.shops.searchSubmit")}</button>
          </p>
        </form>
      </search>
      <p>{ui.t("admin.shops.count", { total: page.total })}</p>
      {page.items.length === 0 ? (
        <p>{ui.t("admin.shops.none")}</p>
      ) : (
        <table>
          <caption class="muted">{ui.t("admin.shops.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{ui.t("admin.col.shop")}</th>
              <th scope="col">{ui.t("admin.col.status")}</th>
              <th scope="col">{ui.t("admin.col.provider")}</th>
              <th scope="col">{ui.t("admin.col.lastSync")}</th>
              <th scope="col">{ui.t("admin.col.lastError")}</th>
              <th scope="col">{ui.t("admin.col.pending")}</th>
              <th scope="col">{ui.t("admin.col.lastWebhook")}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((shop) => (
              <ShopRow ui={ui} shop={shop} />
            ))}
          </tbody>
        </table>
      )}
      <Pagination
        ui={ui}
        page={page.page}
        pageSize={page.pageSize}
        total={page.total}
        href={(n) => `/admin${queryString({ q: props.q, status: props.status, page: n })}`}
      />
    </section>
  );
}
