/**
 * "Sync now", one run's page, and its event stream: the page reads the run row (scoped to the
 * signed-in shop) and streams it until the run ends. Without JavaScript a link reloads the page.
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppDeps } from "../../../app.js";
import { AppError } from "../../../errors.js";
import { enqueueSync } from "../../../jobs/sync-queue.js";
import { findShopSyncRun, loadShopOverview, type SyncRunView } from "../../../shops/dashboard.js";
import type { PageEnv } from "../env.js";
import { shopIdOf } from "../middleware.js";
import { renderPage } from "../ui/shell.js";
import { formatDateTime, type Ui, uiOf } from "../ui/ui.js";
import { ACTIVE, countsSummary, runStatusLabel, SyncProgress } from "./sync-view.js";

const STREAM_LIMIT_MS = 30 * 60_000;
const POLL_MS = 500;

function RunView({ ui, run, timeZone }: { ui: Ui; run: SyncRunView; timeZone: string }) {
  const { t } = ui;
  const warnings = Array.isArray(run.warnings) ? (run.warnings as unknown[]).map(String) : [];
  const invalid = Array.isArray(run.invalidEmails) ? (run.invalidEmails as Array<{ email?: unknown }>) : [];
  return (
    <section class="card" aria-labelledby="run-title">
      <h1 id="run-title">{t("sync.run.title", { when: formatDateTime(ui, timeZone, run.queuedAt) })}</h1>
      <SyncProgress ui={ui} run={run} />
      {ACTIVE.has(run.status) ? (
        // Without JavaScript nothing updates by itself; an automatic refresh would take control away (WCAG 2.2.1).
        <noscript>
          <p>
            <a href={`/dashboard/sync/${run.id}`}>{t("sync.refresh")}</a>
          </p>
        </noscript>
      ) : null}
      <dl class="facts">
        <dt>{t("sync.history.status")}</dt>
        <dd>{runStatusLabel(ui, run.status)}</dd>
        <dt>{t("sync.run.finished")}</dt>
        <dd>{formatDateTime(ui, timeZone, run.finishedAt)}</dd>
        <dt>{t("sync.history.result")}</dt>
        <dd>{ACTIVE.has(run.status) ? "—" : countsSummary(ui, run)}</dd>
      </dl>
      {run.status === "failed" ? (
        <p class="problem" role="alert">
          {run.errorMessage ?? t("sync.failed.generic")}
        </p>
      ) : null}
      {warnings.length > 0 ? (
        <>
          <h2>{t("sync.run.warnings")}</h2>
          <ul>
            {warnings.map((warning) => (
              <li>{warning}</li>
            ))}
          </ul>
        </>
      ) : null}
      {invalid.length > 0 ? (
        <>
          <h2>{t("sync.run.invalid")}</h2>
          <p class="hint">{t("sync.run.invalid.hint")}</p>
          <ul>
            {invalid.slice(0, 50).map((item) => (
              <li class="mono">{String(item.email ?? "")}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <a href="/dashboard">{t("nav.backToDashboard")}</a>
      </p>
    </section>
  );
}

export function syncRoutes(deps: AppDeps) {
  const app = new Hono<PageEnv>();
  const db = deps.database.db;

  app.post("/sync", async (c) => {
    const shopId = shopIdOf(c);
    const overview = await loadShopOverview(db, shopId);
    if (!overview.progress.hasAudience || !overview.enterprises.some((e) => e.syncCustomers)) {
      throw new AppError("CONFLICT", c.get("t")("sync.notReady"));
    }
    const { run } = await enqueueSync(db, shopId, "manual");
    deps.wake?.("sync");
    return c.redirect(`/dashboard/sync/${run.id}`, 303);
  });

  app.get("/sync/:runId", async (c) => {
    const shopId = shopIdOf(c);
    const run = await findShopSyncRun(db, shopId, c.req.param("runId"));
    if (!run) throw new AppError("NOT_FOUND", c.get("t")("error.api.notFound"));
    const { shop } = await loadShopOverview(db, shopId);
    return renderPage(c, {
      title: c.get("t")("sync.run.titleShort"),
      scripts: ACTIVE.has(run.status) ? ["progress.js"] : [],
      body: <RunView ui={uiOf(c)} run={run} timeZone={shop.timeZone} />,
    });
  });

  app.get("/sync/:runId/events", async (c) => {
    const shopId = shopIdOf(c);
    const runId = c.req.param("runId");
    if (!(await findShopSyncRun(db, shopId, runId)))
      throw new AppError("NOT_FOUND", c.get("t")("error.api.notFound"));
    c.header("Cache-Control", "no-store");
    return streamSSE(c, async (stream) => {
      const started = Date.now();
      let last = "";
      while (!stream.aborted && Date.now() - started < STREAM_LIMIT_MS) {
        const run = await findShopSyncRun(db, shopId, runId);
        if (!run) break;
        const data = JSON.stringify({
          status: run.status,
          done: run.status === "succeeded" ? Math.max(run.progressTotal, run.progressDone) : run.progressDone,
          total: run.progressTotal,
          counts: run.counts,
        });
        if (data !== last) await stream.writeSSE({ event: "progress", data });
        last = data;
        if (!ACTIVE.has(run.status)) break;
        await stream.sleep(POLL_MS);
      }
    });
  });
  return app;
}
