/** How a sync run reads on the dashboard: status, counts, a progress bar fed live by server-sent events. */
import type { SyncRunView } from "../../../shops/dashboard.js";
import type { MessageKey } from "../../i18n/index.js";
import { formatDateTime, type Ui } from "../ui/ui.js";

const COUNT_KEYS = ["new", "updated", "unchanged", "invalid", "skippedConsent", "failed", "removed"] as const;
export const ACTIVE = new Set(["queued", "running"]);

export function runStatusLabel(ui: Ui, status: string): string {
  const known = ["queued", "running", "succeeded", "failed"].includes(status);
  return known ? ui.t(`sync.status.${status}` as MessageKey) : status;
}

export function countsOf(run: SyncRunView): Record<string, number> {
  return (run.counts ?? {}) as Record<string, number>;
}

/** "12 new · 3 updated · 40 unchanged", leaving out zeros. */
export function countsSummary(ui: Ui, run: SyncRunView): string {
  const counts = countsOf(run);
  const parts = COUNT_KEYS.filter((key) => (counts[key] ?? 0) > 0).map((key) =>
    ui.t(`sync.count.${key}`, { n: counts[key] ?? 0 }),
  );
  return parts.length > 0 ? parts.join(" · ") : ui.t("sync.count.nothing");
}

/** The live progress bar; `data-sync-events` lets progress.js follow the run without reloading. */
export function SyncProgress({ ui, run }: { ui: Ui; run: SyncRunView }) {
  const active = ACTIVE.has(run.status);
  const total = Math.max(run.progressTotal, run.progressDone, 1);
  const done = run.status === "succeeded" ? total : run.progressDone;
  const percent = Math.floor((done / total) * 100);
  return (
    <div
      class="sync-progress"
      data-sync-events={active ? `/dashboard/sync/${run.id}/events` : undefined}
      data-label-percent={ui.t("sync.progress.percent", { percent: "{percent}" })}
      data-status-labels={JSON.stringify({
        queued: ui.t("sync.status.queued"),
        running: ui.t("sync.status.running"),
        succeeded: ui.t("sync.status.succeeded"),
        failed: ui.t("sync.status.failed"),
      })}
    >
      <label for={`progress-${run.id}`}>{ui.t("sync.progress.label")}</label>
      <progress id={`progress-${run.id}`} max={total} value={done}>
        {ui.t("sync.progress.percent", { percent })}
      </progress>
      <p class="progress-text" aria-live="polite">
        <span data-role="status">{runStatusLabel(ui, run.status)}</span>
        {" · "}
        <span data-role="count">{ui.t("sync.progress.percent", { percent })}</span>
      </p>
    </div>
  );
}

export function SyncHistory({ ui, runs, timeZone }: { ui: Ui; runs: SyncRunView[]; timeZone: string }) {
  if (runs.length === 0) return <p class="muted">{ui.t("sync.history.empty")}</p>;
  return (
    <table>
      <caption class="visually-hidden">{ui.t("sync.history.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{ui.t("sync.history.when")}</th>
          <th scope="col">{ui.t("sync.history.status")}</th>
          <th scope="col">{ui.t("sync.history.result")}</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr>
            <td>
              <a href={`/dashboard/sync/${run.id}`}>
                {formatDateTime(ui, timeZone, run.startedAt ?? run.queuedAt)}
              </a>
            </td>
            <td>
              <span class={`badge ${run.status}`}>{runStatusLabel(ui, run.status)}</span>
            </td>
            <td>
              {run.status === "failed"
                ? (run.errorMessage ?? ui.t("sync.failed.generic"))
                : countsSummary(ui, run)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
