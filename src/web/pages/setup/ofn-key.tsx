/**
 * Setup: paste the OFN API key. Checked live (blank and malformed keys never leave the process),
 * then a new session is issued. The key is never echoed back: on error the field comes back empty.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AppDeps } from "../../../app.js";
import { resolveOfnInstance } from "../../../ofn/client.js";
import { loadShopOverview, nextSetupPath } from "../../../shops/dashboard.js";
import { type OfnKeyProblem, signInWithOfnKey } from "../../../shops/sign-in.js";
import type { Translate } from "../../i18n/index.js";
import { startSession } from "../../session.js";
import type { PageEnv } from "../env.js";
import { validForm } from "../middleware.js";
import { ErrorSummary, type FieldError, TextField } from "../ui/form.js";
import { CsrfField, renderPage } from "../ui/shell.js";
import { type Ui, uiOf } from "../ui/ui.js";
import { instanceLabel } from "./instance.js";

export function ofnKeyProblemMessage(t: Translate, problem: OfnKeyProblem, instance: string): string {
  const host = URL.canParse(instance) ? instanceLabel(instance) : instance;
  return t(`ofnKey.problem.${problem}`, { instance: host });
}

/** Where to find the key in OFN, as numbered steps; shared with "replace the OFN key". */
export function OfnKeyHelp({ ui, instance }: { ui: Ui; instance: string }) {
  const { t } = ui;
  const host = instanceLabel(instance);
  return (
    <ol class="how-to" id="ofn_key-help">
      <li>
        {t("ofnKey.help.login", { instance: host })}{" "}
        <a
          href={`${new URL(instance).origin}/account#/developer_settings`}
          rel="noopener noreferrer"
          target="_blank"
        >
          {t("ofnKey.help.openAccount", { instance: host })}
        </a>
      </li>
      <li>{t("ofnKey.help.developer")}</li>
      <li>{t("ofnKey.help.copy")}</li>
      <li>{t("ofnKey.help.superAdmin")}</li>
    </ol>
  );
}

function KeyView(props: { ui: Ui; instance: string; errors: FieldError[] }) {
  const { ui } = props;
  const { t } = ui;
  return (
    <section class="card" aria-labelledby="key-title">
      <h1 id="key-title">{t("ofnKey.title")}</h1>
      <p>{t("ofnKey.lead", { instance: instanceLabel(props.instance) })}</p>
      <ErrorSummary ui={ui} errors={props.errors} />
      <OfnKeyHelp ui={ui} instance={props.instance} />
      <form method="post" action="/setup/key" novalidate>
        <CsrfField ui={ui} />
        <input type="hidden" name="instance" value={props.instance} />
        <TextField
          id="ofn_key"
          label={t("ofnKey.label")}
          hint={t("ofnKey.hint")}
          error={props.errors[0]?.message}
          spellcheck={false}
          maxlength={200}
        />
        <p class="muted">{t("ofnKey.storage")}</p>
        <button type="submit">{t("ofnKey.submit")}</button>{" "}
        <a href="/setup/instance">{t("ofnKey.otherInstance")}</a>
      </form>
    </section>
  );
}

const PROBLEM_STATUS: Record<OfnKeyProblem, 400 | 409 | 502> = {
  instance: 400,
  blank: 400,
  format: 400,
  refused: 400,
  taken: 409,
  unreachable: 502,
};

const keyForm = z.object({
  instance: z.string().max(300).default(""),
  ofn_key: z.string().max(500).default(""),
});

export function ofnKeyStep(deps: AppDeps, keyLimit: MiddlewareHandler<PageEnv>) {
  const app = new Hono<PageEnv>();
  const signInDeps = {
    db: deps.database.db,
    keyring: deps.keyring,
    config: deps.config,
    syncDeps: deps.syncDeps,
    logger: deps.logger,
  };

  app.get("/key", (c) => {
    const asked = c.req.query("instance");
    // No choice in the URL (e.g. after switching language): the only instance, or the choice page.
    const only = deps.config.OFN_INSTANCES.length === 1 ? deps.config.OFN_INSTANCES[0] : undefined;
    const instance = asked ? resolveOfnInstance(deps.config.OFN_INSTANCES, asked) : only;
    if (!instance) return c.redirect(asked ? "/setup/instance?error=instance" : "/setup/instance", 303);
    return renderPage(c, {
      title: c.get("t")("ofnKey.title"),
      body: <KeyView ui={uiOf(c)} instance={instance} errors={[]} />,
    });
  });

  app.post("/key", keyLimit, validForm(keyForm), async (c) => {
    const form = c.req.valid("form");
    const t = c.get("t");
    const result = await signInWithOfnKey(
      { ...signInDeps, logger: c.get("logger") },
      { instance: form.instance, apiKey: form.ofn_key, locale: c.get("locale") },
    );
    if (!result.ok) {
      if (result.problem === "instance") return c.redirect("/setup/instance?error=instance", 303);
      const errors = [{ field: "ofn_key", message: ofnKeyProblemMessage(t, result.problem, form.instance) }];
      return renderPage(c, {
        title: t("ofnKey.title"),
        status: PROBLEM_STATUS[result.problem],
        hasErrors: true,
        body: <KeyView ui={uiOf(c)} instance={form.instance} errors={errors} />,
      });
    }
    await startSession({ db: deps.database.db, config: deps.config }, c, result.value.shopId);
    const overview = await loadShopOverview(deps.database.db, result.value.shopId);
    return c.redirect(nextSetupPath(overview.progress), 303);
  });
  return app;
}
