/** Setup: how often customers are synced (an interval, or a cron expression) in the shop's time zone. */
import { Hono } from "hono";
import { validate as validCron } from "node-cron";
import { z } from "zod";
import type { AppDeps } from "../../../app.js";
import { loadShopOverview } from "../../../shops/dashboard.js";
import { saveSchedule } from "../../../shops/preferences.js";
import type { PageEnv } from "../env.js";
import { fromField, requireShop, shopIdOf, validForm } from "../middleware.js";
import { ErrorSummary, errorFor, type FieldError, RadioGroup, ReturnField, TextField } from "../ui/form.js";
import { CsrfField, renderPage } from "../ui/shell.js";
import { type Ui, uiOf } from "../ui/ui.js";
import { stepDone } from "./flow.js";

const INTERVALS = [1, 3, 6, 12, 24, 48, 168] as const;
const TIME_ZONES = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];

interface ScheduleValues {
  mode: "interval" | "cron";
  intervalHours: number;
  cron: string;
  timeZone: string;
}

function intervalLabel(ui: Ui, hours: number): string {
  if (hours === 168) return ui.t("schedule.interval.weekly");
  if (hours === 24) return ui.t("schedule.interval.daily");
  return hours % 24 === 0
    ? ui.t("schedule.interval.days", { n: hours / 24 })
    : ui.t("schedule.interval.hours", { n: hours });
}

function ScheduleView(props: { ui: Ui; values: ScheduleValues; errors: FieldError[]; from?: string }) {
  const { ui, values, errors } = props;
  const { t } = ui;
  return (
    <section class="card" aria-labelledby="schedule-title">
      <h1 id="schedule-title">{t("schedule.title")}</h1>
      <p>{t("schedule.lead")}</p>
      <ErrorSummary ui={ui} errors={errors} />
      <form method="post" action="/setup/schedule" novalidate>
        <CsrfField ui={ui} />
        <ReturnField from={props.from} />
        <RadioGroup
          id="mode"
          name="mode"
          legend={t("schedule.mode.legend")}
          value={values.mode}
          options={[
            { value: "interval", label: t("schedule.mode.interval") },
            { value: "cron", label: t("schedule.mode.cron"), hint: t("schedule.mode.cron.hint") },
          ]}
        />
        <div class="field">
          <label for="interval">{t("schedule.interval.label")}</label>
          <select id="interval" name="interval">
            {INTERVALS.map((hours) => (
              <option value={String(hours)} selected={values.intervalHours === hours}>
                {intervalLabel(ui, hours)}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id="cron"
          label={t("schedule.cron.label")}
          hint={t("schedule.cron.hint")}
          value={values.cron}
          error={errorFor(errors, "cron")}
          spellcheck={false}
          maxlength={100}
        />
        <div class="field">
          <label for="time_zone">{t("schedule.timeZone")}</label>
          <p class="hint" id="time_zone-hint">
            {t("schedule.timeZone.hint")}
          </p>
          <select id="time_zone" name="time_zone" aria-describedby="time_zone-hint">
            {TIME_ZONES.map((zone) => (
              <option value={zone} selected={values.timeZone === zone}>
                {zone}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("form.saveContinue")}</button>
      </form>
    </section>
  );
}

const scheduleForm = z.object({
  mode: z.enum(["interval", "cron"]).catch("interval"),
  interval: z.coerce.number().int().catch(24),
  cron: z.string().max(200).default(""),
  time_zone: z.string().max(100).default("Europe/Paris"),
  from: fromField,
});

/** Five fields, and a fixed minute: at most one scheduled sync an hour. */
export function acceptableCron(expression: string): boolean {
  const fields = expression.trim().split(/\s+/);
  return fields.length === 5 && /^\d{1,2}$/.test(fields[0] ?? "") && validCron(expression.trim());
}

export function scheduleStep(deps: AppDeps) {
  const app = new Hono<PageEnv>();
  const db = deps.database.db;
  const render = async (
    c: Parameters<typeof renderPage>[0],
    values: ScheduleValues | undefined,
    errors: FieldError[],
    from?: string,
  ) => {
    const overview = await loadShopOverview(db, shopIdOf(c));
    const sync = overview.settings.sync;
    const current: ScheduleValues = values ?? {
      mode: sync.cron ? "cron" : "interval",
      intervalHours: sync.intervalHours,
      cron: sync.cron ?? "",
      timeZone: overview.shop.timeZone,
    };
    return renderPage(c, {
      title: c.get("t")("schedule.title"),
      step: "/setup/schedule",
      status: errors.length ? 400 : 200,
      hasErrors: errors.length > 0,
      body: <ScheduleView ui={uiOf(c)} values={current} errors={errors} from={from} />,
    });
  };

  app.get("/schedule", requireShop, (c) => render(c, undefined, [], c.req.query("from")));
  app.post("/schedule", requireShop, validForm(scheduleForm), async (c) => {
    const form = c.req.valid("form");
    const t = c.get("t");
    const values: ScheduleValues = {
      mode: form.mode,
      intervalHours: (INTERVALS as readonly number[]).includes(form.interval) ? form.interval : 24,
      cron: form.cron.trim(),
      timeZone: TIME_ZONES.includes(form.time_zone) ? form.time_zone : "Europe/Paris",
    };
    if (form.mode === "cron" && !acceptableCron(values.cron)) {
      return render(c, values, [{ field: "cron", message: t("schedule.error.cron") }], form.from);
    }
    await saveSchedule(db, shopIdOf(c), {
      intervalHours: values.intervalHours,
      cron: form.mode === "cron" ? values.cron : null,
      timeZone: values.timeZone,
    });
    return stepDone(c, "/setup/template", form.from);
  });
  return app;
}
