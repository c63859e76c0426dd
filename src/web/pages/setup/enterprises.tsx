/** Setup: which of the key's OFN enterprises to sync customers from and to announce order cycles for. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../../../app.js";
import {
  chooseEnterprises,
  type EnterpriseChoice,
  listEnterpriseChoices,
} from "../../../shops/enterprises.js";
import type { PageEnv } from "../env.js";
import { fromField, repeated, requireShop, shopIdOf, validForm } from "../middleware.js";
import { Checkbox, ErrorSummary, type FieldError, ReturnField } from "../ui/form.js";
import { CsrfField, renderPage } from "../ui/shell.js";
import { type Ui, uiOf } from "../ui/ui.js";
import { isUpstream, UpstreamProblem } from "../ui/upstream.js";
import { signInDepsOf, stepDone } from "./flow.js";

function EnterprisesForm(props: {
  ui: Ui;
  choices: EnterpriseChoice[];
  errors: FieldError[];
  from?: string;
}) {
  const { ui } = props;
  const { t } = ui;
  if (props.choices.length === 0) return <p class="problem">{t("enterprises.none")}</p>;
  return (
    <form method="post" action="/setup/enterprises" novalidate>
      <CsrfField ui={ui} />
      <ReturnField from={props.from} />
      {props.choices.map((choice, i) => (
        <fieldset class="enterprise">
          <legend>{choice.name}</legend>
          {choice.shopUrl ? (
            <p class="hint">
              {t("enterprises.shopUrl")}{" "}
              <a href={choice.shopUrl} rel="noopener noreferrer" target="_blank">
                {choice.shopUrl}
              </a>
            </p>
          ) : (
            <p class="hint">{t("enterprises.noShopUrl")}</p>
          )}
          <Checkbox
            id={i === 0 ? "enterprises" : `sync-${choice.id}`}
            name="sync"
            value={String(choice.id)}
            label={t("enterprises.sync")}
            checked={choice.syncCustomers}
          />
          <Checkbox
            id={`announce-${choice.id}`}
            name="announce"
            value={String(choice.id)}
            label={t("enterprises.announce")}
            checked={choice.announceCycles}
          />
        </fieldset>
      ))}
      <button type="submit">{t("form.saveContinue")}</button>
    </form>
  );
}

const choiceForm = z.object({ sync: repeated, announce: repeated, from: fromField });
const ids = (values: string[]) => values.map(Number).filter((n) => Number.isInteger(n) && n > 0);

export function enterprisesStep(deps: AppDeps) {
  const app = new Hono<PageEnv>();
  const render = async (c: Parameters<typeof renderPage>[0], errors: FieldError[], from?: string) => {
    const ui = uiOf(c);
    const intro = (
      <>
        <h1 id="enterprises-title">{ui.t("enterprises.title")}</h1>
        <p>{ui.t("enterprises.lead")}</p>
        <ErrorSummary ui={ui} errors={errors} />
      </>
    );
    try {
      const choices = await listEnterpriseChoices(signInDepsOf(deps, c), shopIdOf(c));
      return renderPage(c, {
        title: ui.t("enterprises.title"),
        step: "/setup/enterprises",
        status: errors.length ? 400 : 200,
        hasErrors: errors.length > 0,
        body: (
          <section class="card" aria-labelledby="enterprises-title">
            {intro}
            <EnterprisesForm ui={ui} choices={choices} errors={errors} from={from} />
          </section>
        ),
      });
    } catch (error) {
      if (!isUpstream(error)) throw error;
      return renderPage(c, {
        title: ui.t("enterprises.title"),
        step: "/setup/enterprises",
        status: 502,
        body: (
          <section class="card" aria-labelledby="enterprises-title">
            {intro}
            <UpstreamProblem ui={ui} error={error} retryHref="/setup/enterprises" />
          </section>
        ),
      });
    }
  };

  app.get("/enterprises", requireShop, (c) => render(c, [], c.req.query("from")));
  app.post("/enterprises", requireShop, validForm(choiceForm), async (c) => {
    const form = c.req.valid("form");
    const sync = ids(form.sync);
    const announce = ids(form.announce);
    if (sync.length === 0 && announce.length === 0) {
      return render(c, [{ field: "enterprises", message: c.get("t")("enterprises.error.none") }], form.from);
    }
    let saved: number;
    try {
      ({ saved } = await chooseEnterprises(signInDepsOf(deps, c), shopIdOf(c), { sync, announce }));
    } catch (error) {
      if (isUpstream(error)) return render(c, [], form.from);
      throw error;
    }
    if (saved === 0)
      return render(c, [{ field: "enterprises", message: c.get("t")("enterprises.error.none") }], form.from);
    return stepDone(c, "/setup/provider", form.from);
  });
  return app;
}
