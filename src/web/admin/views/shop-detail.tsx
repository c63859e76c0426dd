import type { ShopDetail } from "../../../admin/shop-detail.js";
import { type AdminUi, CsrfInput, formatTime, Notice } from "./frame.js";
import { SyncSummary, statusLabel } from "./shop-list.js";

function ActionForm({
  ui,
  action,
  label,
  danger,
}: {
  ui: AdminUi;
  action: string;
  label: string;
  danger?: boolean;
}) {
  return (
    <form method="post" action={action}>
      <CsrfInput ui={ui} />
      <button type="submit" class={danger ? "danger" : undefined}>
        {label}
      </button>
    </form>
  );
}

function Health({ ui, detail }: { ui: AdminUi; detail: ShopDetail }) {
  const shop = detail.health;
  const row = (label: string, value: unknown) => (
    <>
      <dt>{label}</dt>
      <dd>{value ?? "—"}</dd>
    </>
  );
  return (
    <dl class="card">
      {row(ui.t("admin.detail.id"), <code>{shop.id}</code>)}
      {row(ui.t("admin.detail.instance"), shop.ofnInstance)}
      {row(ui.t("admin.detail.ofnKey"), `…${shop.ofnKeyLast4}`)}
      {row(ui.t("admin.col.status"), statusLabel(ui, "admin.status", shop.status))}
      {row(
        ui.t("admin.col.provider"),
        shop.provider
          ? `${shop.provider.kind} (…${shop.provider.keyLast4}), ${statusLabel(ui, "admin.provider", shop.provider.status)}, ${shop.provider.audienceName ?? "—"}`
          : null,
      )}
      {row(ui.t("admin.detail.webhook"), ui.t(shop.hasWebhook ? "admin.detail.yes" : "admin.detail.no"))}
      {row(ui.t("admin.detail.nextSync"), formatTime(ui, shop.nextSyncAt))}
      {row(ui.t("admin.col.lastSync"), <SyncSummary ui={ui} shop={shop} />)}
      {row(ui.t("admin.col.pending"), shop.pendingCampaigns)}
      {row(ui.t("admin.col.lastError"), shop.lastError)}
    </dl>
  );
}

function Actions({ ui, detail }: { ui: AdminUi; detail: ShopDetail }) {
  const { id, status } = detail.health;
  return (
    <section class="card" aria-labelledby="actions-title">
      <h2 id="actions-title">{ui.t("admin.detail.actions")}</h2>
      {status === "active" ? (
        <ActionForm ui={ui} action={`/admin/shops/${id}/pause`} label={ui.t("admin.action.pause")} />
      ) : null}
      {status === "paused" ? (
        <ActionForm ui={ui} action={`/admin/shops/${id}/resume`} label={ui.t("admin.action.resume")} />
      ) : null}
      {status === "active" ? (
        <ActionForm ui={ui} action={`/admin/shops/${id}/sync`} label={ui.t("admin.action.sync")} />
      ) : (
        <p class="hint">{ui.t("admin.action.syncNeedsActive")}</p>
      )}
      <p>
        <a href={`/admin/audit?shop=${id}`}>{ui.t("admin.action.audit")}</a> ·{" "}
        <a href={`/admin/shops/${id}/delete`}>{ui.t("admin.action.delete")}</a>
      </p>
    </section>
  );
}

function Runs({ ui, detail }: { ui: AdminUi; detail: ShopDetail }) {
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">{ui.t("admin.detail.runs")}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{ui.t("admin.col.queued")}</th>
            <th scope="col">{ui.t("admin.col.trigger")}</th>
            <th scope="col">{ui.t("admin.col.status")}</th>
            <th scope="col">{ui.t("admin.col.progress")}</th>
            <th scope="col">{ui.t("admin.col.lastError")}</th>
          </tr>
        </thead>
        <tbody>
          {detail.runs.map((run) => (
            <tr>
              <td>{formatTime(ui, run.queuedAt)}</td>
              <td>{run.trigger}</td>
              <td>{statusLabel(ui, "admin.sync", run.status)}</td>
              <td>
                {run.progressDone}/{run.progressTotal}
              </td>
              <td>{run.errorMessage ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Campaigns({ ui, detail }: { ui: AdminUi; detail: ShopDetail }) {
  return (
    <section aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">{ui.t("admin.detail.campaigns")}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{ui.t("admin.col.orderCycle")}</th>
            <th scope="col">{ui.t("admin.col.kind")}</th>
            <th scope="col">{ui.t("admin.col.status")}</th>
            <th scope="col">{ui.t("admin.col.reason")}</th>
          </tr>
        </thead>
        <tbody>
          {detail.campaigns.map((campaign) => (
            <tr>
              <td>
                {campaign.orderCycleName} ({formatTime(ui, campaign.openedAt)})
              </td>
              <td>{campaign.kindLabel}</td>
              <td>{campaign.statusLabel}</td>
              <td>{campaign.reason ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{ui.t("admin.detail.deliveries")}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{ui.t("admin.col.received")}</th>
            <th scope="col">{ui.t("admin.col.event")}</th>
            <th scope="col">{ui.t("admin.col.outcome")}</th>
          </tr>
        </thead>
        <tbody>
          {detail.deliveries.map((delivery) => (
            <tr>
              <td>{formatTime(ui, delivery.receivedAt)}</td>
              <td>{delivery.event}</td>
              <td>{delivery.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ShopDetailView({ ui, detail, notice }: { ui: AdminUi; detail: ShopDetail; notice?: string }) {
  return (
    <>
      <h1>{detail.health.name || detail.health.id}</h1>
      <Notice text={notice} />
      <Health ui={ui} detail={detail} />
      <Actions ui={ui} detail={detail} />
      <Runs ui={ui} detail={detail} />
      <Campaigns ui={ui} detail={detail} />
    </>
  );
}
