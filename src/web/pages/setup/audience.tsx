/** Setup: the Mailchimp audience or Brevo list that receives the customers, read live from the account. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../../../app.js";
import { AppError } from "../../../errors.js";
import type { Audience, ProviderKind } from "../../../providers/types.js";
import { chooseAudience, listShopAudiences } from "../../../shops/provider-setup.js";
import type { PageEnv } from "../env.js";
import { fromField, requireShop, shopIdOf, validForm } from "../middleware.js";
import { ErrorSummary, type FieldError, RadioGroup, ReturnField } from "../ui/form.js";
import { CsrfField, renderPage } from "../ui/shell.js";
import { type Ui, uiOf } from "../ui/ui.js";
import { isUpstream, UpstreamProblem } from "../ui/upstream.js";
import { PROVIDER_NAME } from "./provider.js";

function AudienceForm(props: {
  ui: Ui;
  kind: ProviderKind;
  audiences: Audience[];
  currentId: string | null;
  errors: FieldError[];
  from?: string;
}) {
  const { ui } = props;
  const { t } = ui;
  if (props.audiences.length === 0) {
    return <p class="problem">{t("audience.none", { service: PROVIDER_NAME[props.kind] })}</p>;
  }
  return (
    <form method="post" action="/setup/audience" novalidate>
      <CsrfField ui={ui} />
      <ReturnField from={props.from} />
      <RadioGroup
        id="audience"
        name="audience"
        legend={t(props.kind === "brevo" ? "audience.legend.brevo" : "audience.legend.mailchimp")}
        value={props.currentId ?? (props.audiences.length === 1 ? props.audiences[0]?.id : undefined)}
        error={props.errors[0]?.message}
        options={props.audiences.map((audience) => ({
          value: audience.id,
          label: audience.name,
          hint: [
            audience.memberCount !== undefined ? t("audience.members", { n: audience.memberCount }) : "",
            audience.doubleOptIn ? t("audience.doubleOptIn") : "",
          ]
            .filter(Boolean)
            .join(" · "),
        }))}
      />
      <button type="submit">{t("form.saveContinue")}</button>
    </form>
  );
}

const audienceForm = z.object({ audience: z.string().max(200).default(""), from: fromField });

export function audienceStep(deps: AppDeps) {
  const app = new Hono<PageEnv>();
  const serviceDeps = (c: Parameters<typeof renderPage>[0]) => ({
    db: deps.database.db,
    keyring: deps.keyring,
    syncDeps: deps.syncDeps,
    logger: c.get("logger"),
  });

  const render = async (c: Parameters<typeof renderPage>[0], errors: FieldError[], from?: string) => {
    const ui = uiOf(c);
    const frame = (content: unknown, status: 200 | 400 | 502) =>
      renderPage(c, {
        title: ui.t("audience.title"),
        step: "/setup/audience",
        status,
        hasErrors: errors.length > 0,
        body: (
          <section class="card" aria-labelledby="audience-title">
            <h1 id="audience-title">{ui.t("audience.title")}</h1>
            <p>{ui.t("audience.lead")}</p>
            <ErrorSummary ui={ui} errors={errors} />
            {content}
          </section>
        ),
      });
    try {
      const { provider, audiences, currentId } = await listShopAudiences(serviceDeps(c), shopIdOf(c));
      return frame(
        <AudienceForm
          ui={ui}
          kind={provider}
          audiences={audiences}
          currentId={currentId}
          errors={errors}
          from={from}
        />,
        errors.length ? 400 : 200,
      );
    } catch (error) {
      if (error instanceof AppError && error.code === "CONFLICT") return c.redirect("/setup/provider", 303);
      if (!isUpstream(error)) throw error;
      return frame(<UpstreamProblem ui={ui} error={error} retryHref="/setup/audience" />, 502);
    }
  };

  app.get("/audience", requireShop, (c) => render(c, [], c.req.query("from")));
  app.post("/audience", requireShop, validForm(audienceForm), async (c) => {
    const form = c.req.valid("form");
    const t = c.get("t");
    if (!form.audience)
      return render(c, [{ field: "audience", message: t("audience.error.choose") }], form.from);
    try {
      await chooseAudience(serviceDeps(c), shopIdOf(c), form.audience);
    } catch (error) {
      if (error instanceof AppError && error.code === "VALIDATION") {
        return render(c, [{ field: "audience", message: t("audience.error.choose") }], form.from);
      }
      if (isUpstream(error)) return render(c, [], form.from);
      throw error;
    }
    return c.redirect(form.from === "dashboard" ? "/dashboard?notice=saved" : "/setup/consent", 303);
  });
  return app;
}
