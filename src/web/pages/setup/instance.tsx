/** Setup: which OFN instance the shop uses (the operator's allow-list); a plain GET form to the key step. */
import { Hono } from "hono";
import type { AppDeps } from "../../../app.js";
import type { PageEnv } from "../env.js";
import { ErrorSummary, type FieldError, RadioGroup } from "../ui/form.js";
import { renderPage } from "../ui/shell.js";
import { type Ui, uiOf } from "../ui/ui.js";

export function instanceLabel(url: string): string {
  return new URL(url).host;
}

export function InstanceView(props: {
  ui: Ui;
  instances: string[];
  signIn: boolean;
  errors: FieldError[];
  value?: string;
}) {
  const { ui } = props;
  const { t } = ui;
  return (
    <section class="card" aria-labelledby="instance-title">
      <h1 id="instance-title">{props.signIn ? t("signin.title") : t("instance.title")}</h1>
      <p>{props.signIn ? t("signin.lead") : t("instance.lead")}</p>
      <ErrorSummary ui={ui} errors={props.errors} />
      <form method="get" action="/setup/key" novalidate>
        <RadioGroup
          id="instance"
          name="instance"
          legend={t("instance.legend")}
          hint={t("instance.hint")}
          error={props.errors[0]?.message}
          value={props.value ?? (props.instances.length === 1 ? props.instances[0] : undefined)}
          options={props.instances.map((url) => ({ value: url, label: instanceLabel(url) }))}
        />
        <button type="submit">{t("form.continue")}</button>
      </form>
    </section>
  );
}

export function instanceStep(deps: AppDeps) {
  const app = new Hono<PageEnv>();
  app.get("/instance", (c) => {
    const t = c.get("t");
    const errors =
      c.req.query("error") === "instance"
        ? [{ field: "instance", message: t("ofnKey.problem.instance") }]
        : [];
    return renderPage(c, {
      title: t("instance.title"),
      hasErrors: errors.length > 0,
      body: (
        <InstanceView
          ui={uiOf(c)}
          instances={deps.config.OFN_INSTANCES}
          signIn={c.req.query("signin") === "1"}
          errors={errors}
        />
      ),
    });
  });
  return app;
}
