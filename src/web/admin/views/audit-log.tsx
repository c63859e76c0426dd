import type { AuditPage } from "../../../admin/audit.js";
import { type AdminUi, formatTime, Pagination, queryString } from "./frame.js";

export function AuditLogView({ ui, page, shopId }: { ui: AdminUi; page: AuditPage; shopId?: string }) {
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{ui.t("admin.audit.title")}</h1>
      <search>
        <form method="get" action="/admin/audit" class="card">
          <label for="shop">{ui.t("admin.audit.filter")}</label>
          <p class="hint" id="shop-hint">
            {ui.t("admin.audit.filterHint")}
          </p>
          <input
            id="shop"
            name="shop"
            type="search"
            value={shopId ?? ""}
            maxlength={36}
            aria-describedby="shop-hint"
          />
          <p>
            <button type="submit">{ui.t("admin.shops.searchSubmit")}</button>
          </p>
        </form>
      </search>
      {page.items.length === 0 ? (
        <p>{ui.t("admin.audit.none")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{ui.t("admin.col.when")}</th>
              <th scope="col">{ui.t("admin.col.actor")}</th>
              <th scope="col">{ui.t("admin.col.action")}</th>
              <th scope="col">{ui.t("admin.col.shop")}</th>
              <th scope="col">{ui.t("admin.col.detail")}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((entry) => (
              <tr>
                <td>{formatTime(ui, entry.at)}</td>
                <td>{entry.actor}</td>
                <td>{entry.action}</td>
                <td>
                  {entry.shopId ? (
                    <a href={`/admin/audit${queryString({ shop: entry.shopId })}`}>
                      {entry.shopName ?? entry.shopId}
                    </a>
                  ) : (
                    "—"
                  )}
                </td>
                <td>
                  <code>{JSON.stringify(entry.detail)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination
        ui={ui}
        page={page.page}
        pageSize={page.pageSize}
        total={page.total}
        href={(n) => `/admin/audit${queryString({ shop: shopId, page: n })}`}
      />
    </section>
  );
}
