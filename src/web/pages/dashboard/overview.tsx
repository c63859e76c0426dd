/** `/dashboard`: health, syncs, campaigns, deliveries and settings of the signed-in shop only. */
import type { Context } from "hono";
import type { AppDeps } from "../../../app.js";
import {
  type CampaignView,
  type DeliveryView,
  listCampaigns,
  listDeliveries,
} from "../../../campaigns/dashboard.js";
import {
  findActiveSyncRun,
  listSyncRuns,
  loadShopOverview,
  nextSetupPath,
  type ShopOverview,
  type SyncRunView,
} from "../../../shops/dashboard.js";
import type { PageEnv } from "../env.js";
import { shopIdOf } from "../middleware.js";
import type { FieldError } from "../ui/form.js";
import { CsrfField, renderPage } from "../ui/shell.js";
import { formatDateTime, type Ui, uiOf } from "../ui/ui.js";
import { CampaignSection, DeliveryTable } from "./activity-view.js";
import { HealthSection } from "./health-view.js";
import { SettingsSection } from "./settings-view.js";
import { countsSummary, runStatusLabel, SyncHistory, SyncProgress } from "./sync-view.js";

export const NOTICES = {
  saved: "dashboard.notice.saved",
  keyReplaced: "dashboard.notice.keyReplaced",
  disconnected: "dashboard.notice.disconnected",
  testSent: "dashboard.notice.testSent",
  testFailed: "dashboard.notice.testFailed",
  simulated: "campaign.simulate.done",
  retried: "dashboard.notice.retried",
} as const;
export type Notice = keyof typeof NOTICES;

interface DashboardData {
  overview: ShopOverview;
  runs: SyncRunView[];
  active?: SyncRunView;
  campaigns: CampaignView[];
  deliveries: DeliveryView[];
}

function SyncSection({ ui, data }: { ui: Ui; data: DashboardData }) {
  const { t } = ui;
  const tz = data.overview.shop.timeZone;
  const last = data.runs.find((run) => run.status === "succeeded" || run.status === "failed");
  return (
    <section class="card" aria-labelledby="sync-title">
      <h2 id="sync-title">{t("sync.title")}</h2>
      <dl class="facts">
        <dt>{t("sync.last")}</dt>
        <dd>
          {last
            ? `${formatDateTime(ui, tz, last.finishedAt ?? last.queuedAt)} · ${runStatusLabel(ui, last.status)} · ${countsSummary(ui, last)}`
            : t("sync.never")}
        </dd>
        <dt>{t("sync.next")}</dt>
        <dd>
          {data.overview.shop.nextSyncAt
            ? formatDateTime(ui, tz, data.overview.shop.nextSyncAt)
            : t("sync.notPlanned")}
        </dd>
      </dl>
      {data.active ? (
        <SyncProgress ui={ui} run={data.active} />
      ) : (
        <form method="post" action="/dashboard/sync">
          <CsrfField ui={ui} />
          <button type="submit">{t("sync.now")}</button>
        </form>
      )}
      <h3>{t("sync.history.title")}</h3>
      <SyncHistory ui={ui} runs={data.runs} timeZone={tz} />
    </section>
  );
}

function DashboardView(props: {
  ui: Ui;
  data: DashboardData;
  notice?: Notice;
  errors: FieldError[];
  testEmail: string;
}) {
  const { ui, data } = props;
  const { t } = ui;
  const next = nextSetupPath(data.overview.progress);
  return (
    <>
      <h1>{data.overview.shop.name || t("dashboard.title")}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {t(NOTICES[props.notice])}
        </p>
      ) : null}
      {next !== "/dashboard" ? (
        <section class="card notice" aria-labelledby="finish-title">
          <h2 id="finish-title">{t("dashboard.finish.title")}</h2>
          <p>{t("dashboard.finish.body")}</p>
          <a class="button" href={next}>
            {t("dashboard.finish.action")}
          </a>
        </section>
      ) : null}
      <HealthSection ui={ui} overview={data.overview} />
      <SyncSection ui={ui} data={data} />
      <CampaignSection
        ui={ui}
        campaigns={data.campaigns}
        timeZone={data.overview.shop.timeZone}
        provider={data.overview.connection?.provider}
        errors={props.errors}
        testEmail={props.testEmail}
      />
      <section class="card" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">{t("deliveries.title")}</h2>
        <p class="hint">{t("deliveries.hint")}</p>
        <DeliveryTable ui={ui} deliveries={data.deliveries} timeZone={data.overview.shop.timeZone} />
      </section>
      <SettingsSection ui={ui} overview={data.overview} />
    </>
  );
}

/** Renders the dashboard; `errors` and `testEmail` come back when the test form was wrong. */
export async function renderDashboard(
  deps: AppDeps,
  c: Context<PageEnv>,
  options: { errors?: FieldError[]; testEmail?: string } = {},
) {
  const db = deps.database.db;
  const shopId = shopIdOf(c);
  const locale = c.get("locale");
  const [overview, runs, active, campaigns, deliveries] = await Promise.all([
    loadShopOverview(db, shopId),
    listSyncRuns(db, shopId, 10),
    findActiveSyncRun(db, shopId),
    listCampaigns({ db }, shopId, { locale, limit: 20 }),
    listDeliveries({ db }, shopId, { locale, limit: 20 }),
  ]);
  const query = c.req.query("notice");
  const notice = query && query in NOTICES ? (query as Notice) : undefined;
  const errors = options.errors ?? [];
  const ui = uiOf(c);
  return renderPage(c, {
    title: ui.t("dashboard.title"),
    status: errors.length ? 400 : 200,
    hasErrors: errors.length > 0,
    scripts: active ? ["progress.js"] : [],
    body: (
      <DashboardView
        ui={ui}
        data={{ overview, runs, active, campaigns, deliveries }}
        notice={notice}
        errors={errors}
        testEmail={
          options.testEmail ??
          overview.settings.campaigns.testEmails[0] ??
          overview.settings.campaigns.replyTo
        }
      />
    ),
  });
}
