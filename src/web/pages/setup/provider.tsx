/**
 * Setup: Mailchimp or Brevo, then its API key, checked live. The key is never sent back: on error
 * the field comes back empty, and afterwards only its last 4 characters are shown.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AppDeps } from "../../../app.js";
import type { ProviderKind } from "../../../providers/types.js";
import { loadShopOverview } from "../../../shops/dashboard.js";
import { connectProviderKey, type ProviderKeyProblem } from "../../../shops/provider-setup.js";
import type { PageEnv } from "../env.js";
import { fromField, requireShop, shopIdOf, validForm } from "../middleware.js";
import { ErrorSummary, type FieldError, RadioGroup, ReturnField, TextField } from "../ui/form.js";
import { CsrfField, renderPage } from "../ui/shell.js";
import { type Ui, uiOf } from "../ui/ui.js";

export const PROVIDER_NAME: Record<ProviderKind, string> = { mailchimp: "Mailchimp", brevo: "Brevo" };

function ChoiceView({ ui, current, from }: { ui: Ui; current?: ProviderKind; from?: string }) {
  const { t } = ui;
  return (
    <section class="card" aria-labelledby="provider-title">
      <h1 id="provider-title">{t("provider.title")}</h1>
      <p>{t("provider.lead")}</p>
      <form method="get" action="/setup/provider/key" novalidate>
        <ReturnField from={from} />
        <RadioGroup
          id="provider"
          name="provider"
          legend={t("provider.legend")}
          value={current ?? "mailchimp"}
          options={[
            { value: "mailchimp", label: "Mailchimp", hint: t("provider.mailchimp.hint") },
            { value: "brevo", label: "Brevo", hint: t("provider.brevo.hint") },
          ]}
        />
        <button type="submit">{t("form.continue")}</button>
      </form>
    </section>
  );
}

function KeyView(props: {
  ui: Ui;
  kind: ProviderKind;
  errors: FieldError[];
  from?: string;
  currentLast4?: string;
}) {
  const { ui, kind } = props;
  const { t } = ui;
  const name = PROVIDER_NAME[kind];
  return (
    <section class="card" aria-labelledby="provider-key-title">
      <h1 id="provider-key-title">{t("providerKey.title", { service: name })}</h1>
      <ErrorSummary ui={ui} errors={props.errors} />
      {props.currentLast4 ? (
        <p>{t("providerKey.current", { service: name, last4: props.currentLast4 })}</p>
      ) : null}
      <ol class="how-to">
        <li>{kind === "mailchimp" ? t("providerKey.mailchimp.where") : t("providerKey.brevo.where")}</li>
        <li>{kind === "mailchimp" ? t("providerKey.mailchimp.create") : t("providerKey.brevo.create")}</li>
        <li>{t("providerKey.paste")}</li>
      </ol>
      <form method="post" action="/setup/provider/key" novalidate>
        <CsrfField ui={ui} />
        <ReturnField from={props.from} />
        <input type="hidden" name="provider" value={kind} />
        <TextField
          id="provider_key"
          label={t("providerKey.label", { service: name })}
          hint={kind === "mailchimp" ? t("providerKey.mailchimp.hint") : t("providerKey.brevo.hint")}
          error={props.errors[0]?.message}
          spellcheck={false}
          maxlength={300}
        />
        <p class="muted">{t("providerKey.storage")}</p>
        <button type="submit">{t("providerKey.submit")}</button>{" "}
        <a href="/setup/provider">{t("providerKey.other")}</a>
      </form>
    </section>
  );
}

const STATUS: Record<ProviderKeyProblem, 400 | 502> = {
  blank: 400,
  format: 400,
  refused: 400,
  unreachable: 502,
};
const kindOf = (value: string | undefined): ProviderKind | undefined =>
  value === "mailchimp" || value === "brevo" ? value : undefined;
const keyForm = z.object({
  provider: z.string().default(""),
  provider_key: z.string().max(500).default(""),
  from: fromField,
});

export function providerStep(deps: AppDeps, keyLimit: MiddlewareHandler<PageEnv>) {
  const app = new Hono<PageEnv>();
  const db = deps.database.db;

  app.get("/provider", requireShop, async (c) => {
    const overview = await loadShopOverview(db, shopIdOf(c));
    return renderPage(c, {
      title: c.get("t")("provider.title"),
      step: "/setup/provider",
      body: <ChoiceView ui={uiOf(c)} current={overview.connection?.provider} from={c.req.query("from")} />,
    });
  });

  const renderKey = async (
    c: Parameters<typeof renderPage>[0],
    kind: ProviderKind,
    errors: FieldError[],
    status: 200 | 400 | 502,
    from?: string,
  ) => {
    const overview = await loadShopOverview(db, shopIdOf(c));
    const current = overview.connection?.provider === kind ? overview.connection.keyLast4 : undefined;
    return renderPage(c, {
      title: c.get("t")("providerKey.title", { service: PROVIDER_NAME[kind] }),
      step: "/setup/provider",
      status,
      hasErrors: errors.length > 0,
      body: <KeyView ui={uiOf(c)} kind={kind} errors={errors} from={from} currentLast4={current} />,
    });
  };

  app.get("/provider/key", requireShop, async (c) => {
    const kind = kindOf(c.req.query("provider"));
    if (!kind) return c.redirect("/setup/provider", 303);
    return renderKey(c, kind, [], 200, c.req.query("from"));
  });

  app.post("/provider/key", requireShop, keyLimit, validForm(keyForm), async (c) => {
    const form = c.req.valid("form");
    const kind = kindOf(form.provider);
    if (!kind) return c.redirect("/setup/provider", 303);
    const t = c.get("t");
    const result = await connectProviderKey(
      { db, keyring: deps.keyring, syncDeps: deps.syncDeps, logger: c.get("logger") },
      shopIdOf(c),
      { kind, apiKey: form.provider_key },
    );
    if (!result.ok) {
      const message = t(`providerKey.problem.${result.problem}`, { service: PROVIDER_NAME[kind] });
      return renderKey(c, kind, [{ field: "provider_key", message }], STATUS[result.problem], form.from);
    }
    // A new key may belong to another account: the audience is confirmed again either way.
    return c.redirect(form.from === "dashboard" ? "/setup/audience?from=dashboard" : "/setup/audience", 303);
  });
  return app;
}
