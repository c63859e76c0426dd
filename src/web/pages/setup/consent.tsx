/**
 * Setup: what a NEW contact gets (existing contacts always keep their status), the optional OFN tag
 * filter and what happens to customers gone from OFN. Each choice says what it means legally.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../../../app.js";
import { loadShopOverview } from "../../../shops/dashboard.js";
import { saveConsentPolicy } from "../../../shops/preferences.js";
import type { SyncSettings } from "../../../shops/settings.js";
import type { PageEnv } from "../env.js";
import { fromField, requireShop, shopIdOf, validForm } from "../middleware.js";
import { ErrorSummary, errorFor, type FieldError, RadioGroup, ReturnField, TextField } from "../ui/form.js";
import { CsrfField, renderPage } from "../ui/shell.js";
import { type Ui, uiOf } from "../ui/ui.js";
import { stepDone } from "./flow.js";

type Policy = Pick<SyncSettings, "consent" | "requireTag" | "goneCustomers" | "brevoDoiTemplateId">;

function ConsentView(props: {
  ui: Ui;
  policy: Policy;
  provider?: string;
  errors: FieldError[];
  from?: string;
}) {
  const { ui, policy, errors } = props;
  const { t } = ui;
  return (
    <section class="card" aria-labelledby="consent-title">
      <h1 id="consent-title">{t("consent.title")}</h1>
      <p>{t("consent.lead")}</p>
      <p class="notice">{t("consent.existing")}</p>
      <ErrorSummary ui={ui} errors={errors} />
      <form method="post" action="/setup/consent" novalidate>
        <CsrfField ui={ui} />
        <ReturnField from={props.from} />
        <RadioGroup
          id="consent"
          name="consent"
          legend={t("consent.legend")}
          value={policy.consent}
          error={errorFor(errors, "consent")}
          options={[
            {
              value: "non_marketing",
              label: t("consent.nonMarketing"),
              hint: t("consent.nonMarketing.hint"),
            },
            {
              value: "double_opt_in",
              label: t("consent.doubleOptIn"),
              hint:
                props.provider === "brevo"
                  ? t("consent.doubleOptIn.hintBrevo")
                  : t("consent.doubleOptIn.hint"),
            },
            { value: "subscribed", label: t("consent.subscribed"), hint: t("consent.subscribed.hint") },
          ]}
        />
        {props.provider === "brevo" ? (
          <TextField
            id="brevo_doi_template"
            label={t("consent.brevoDoi")}
            hint={t("consent.brevoDoi.hint")}
            value={policy.brevoDoiTemplateId ? String(policy.brevoDoiTemplateId) : ""}
            error={errorFor(errors, "brevo_doi_template")}
            inputmode="numeric"
            maxlength={10}
          />
        ) : null}
        <TextField
          id="require_tag"
          label={t("consent.requireTag")}
          hint={t("consent.requireTag.hint")}
          value={policy.requireTag ?? ""}
          error={errorFor(errors, "require_tag")}
          maxlength={100}
        />
        <RadioGroup
          id="gone"
          name="gone"
          legend={t("consent.gone.legend")}
          value={policy.goneCustomers}
          options={[
            { value: "keep", label: t("consent.gone.keep"), hint: t("consent.gone.keep.hint") },
            {
              value: "remove_tag",
              label: t("consent.gone.removeTag"),
              hint: t("consent.gone.removeTag.hint"),
            },
          ]}
        />
        <button type="submit">{t("form.saveContinue")}</button>
      </form>
    </section>
  );
}

const consentForm = z.object({
  consent: z.string().optional(),
  require_tag: z.string().default(""),
  gone: z.enum(["keep", "remove_tag"]).catch("keep"),
  brevo_doi_template: z.string().max(20).default(""),
  from: fromField,
});
const CONSENTS = ["subscribed", "double_opt_in", "non_marketing"] as const;

export function consentStep(deps: AppDeps) {
  const app = new Hono<PageEnv>();
  const db = deps.database.db;
  const render = async (
    c: Parameters<typeof renderPage>[0],
    policy: Policy | undefined,
    errors: FieldError[],
    from?: string,
  ) => {
    const overview = await loadShopOverview(db, shopIdOf(c));
    return renderPage(c, {
      title: c.get("t")("consent.title"),
      step: "/setup/consent",
      status: errors.length ? 400 : 200,
      hasErrors: errors.length > 0,
      body: (
        <ConsentView
          ui={uiOf(c)}
          policy={policy ?? overview.settings.sync}
          provider={overview.connection?.provider}
          errors={errors}
          from={from}
        />
      ),
    });
  };

  const providerOf = async (c: Parameters<typeof renderPage>[0]) =>
    (await loadShopOverview(db, shopIdOf(c))).connection?.provider;

  app.get("/consent", requireShop, (c) => render(c, undefined, [], c.req.query("from")));
  app.post("/consent", requireShop, validForm(consentForm), async (c) => {
    const form = c.req.valid("form");
    const t = c.get("t");
    const tag = form.require_tag.trim();
    const consent = CONSENTS.find((value) => value === form.consent);
    const errors: FieldError[] = [];
    if (!consent) errors.push({ field: "consent", message: t("consent.error.choose") });
    if (tag.length > 100) errors.push({ field: "require_tag", message: t("consent.error.tag") });
    const doiInput = form.brevo_doi_template.trim();
    const doiTemplate = /^\d{1,9}$/.test(doiInput) && Number(doiInput) > 0 ? Number(doiInput) : null;
    if (doiInput && !doiTemplate)
      errors.push({ field: "brevo_doi_template", message: t("consent.error.brevoDoi") });
    else if (consent === "double_opt_in" && !doiTemplate && (await providerOf(c)) === "brevo") {
      errors.push({ field: "brevo_doi_template", message: t("consent.error.brevoDoiMissing") });
    }
    const policy: Policy = {
      consent: consent ?? "non_marketing",
      requireTag: tag || null,
      goneCustomers: form.gone,
      brevoDoiTemplateId: doiTemplate,
    };
    if (!consent || errors.length > 0) return render(c, policy, errors, form.from);
    await saveConsentPolicy(db, shopIdOf(c), policy);
    return stepDone(c, "/setup/schedule", form.from);
  });
  return app;
}
