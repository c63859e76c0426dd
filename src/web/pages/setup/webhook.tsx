/**
 * Setup: the webhook URL OFN calls when an order cycle opens. Only its hash is stored, so the URL is
 * shown once, in the response to the POST that made it; afterwards the shop can only make a new one.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../../../app.js";
import { regenerateWebhookToken } from "../../../campaigns/tokens.js";
import { recordAudit } from "../../../shops/audit.js";
import { loadShopOverview } from "../../../shops/dashboard.js";
import type { PageEnv } from "../env.js";
import { fromField, requireShop, shopIdOf, validForm } from "../middleware.js";
import { ReturnField } from "../ui/form.js";
import { CsrfField, renderPage } from "../ui/shell.js";
import { type Ui, uiOf } from "../ui/ui.js";

/** OFN refuses to deliver to loopback and private addresses, and to plain redirects (ofn.md §1.1). */
export function looksPublic(publicUrl: string): boolean {
  const host = new URL(publicUrl).hostname;
  return !(
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|0\.)/.test(host) ||
    host === "[::1]"
  );
}

function Instructions({ ui }: { ui: Ui }) {
  const { t } = ui;
  return (
    <ol class="how-to">
      <li>{t("webhook.setup.step1")}</li>
      <li>{t("webhook.setup.step2")}</li>
      <li>{t("webhook.setup.step3")}</li>
      <li>{t("webhook.setup.step4")}</li>
    </ol>
  );
}

function WebhookView(props: { ui: Ui; url?: string; hasWebhook: boolean; publicUrl: string; from?: string }) {
  const { ui } = props;
  const { t } = ui;
  return (
    <section class="card" aria-labelledby="webhook-title">
      <h1 id="webhook-title">{t("webhook.setup.title")}</h1>
      <p>{t("webhook.setup.intro")}</p>
      {looksPublic(props.publicUrl) ? null : (
        <p class="problem" role="alert">
          {t("webhookStep.notPublic", { url: props.publicUrl })}
        </p>
      )}
      {props.url ? (
        <>
          <p class="notice" role="status">
            {t("webhookStep.shownOnce")}
          </p>
          <label for="webhook_url">{t("webhookStep.urlLabel")}</label>
          <div class="copy-row">
            <input id="webhook_url" type="text" readonly value={props.url} class="mono" spellcheck={false} />
            <button
              type="button"
              class="secondary"
              hidden
              data-copy-target="webhook_url"
              data-copied-label={t("webhook.setup.copied")}
            >
              {t("webhook.setup.copy")}
            </button>
          </div>
          <p class="visually-hidden" aria-live="polite" data-copy-status="webhook_url" />
          <Instructions ui={ui} />
          <p>
            <a class="button" href="/dashboard">
              {t("webhookStep.toDashboard")}
            </a>
          </p>
        </>
      ) : (
        <>
          <Instructions ui={ui} />
          {props.hasWebhook ? <p class="notice">{t("webhookStep.exists")}</p> : null}
          <form method="post" action="/setup/webhook">
            <CsrfField ui={ui} />
            <ReturnField from={props.from} />
            {props.hasWebhook ? <p class="hint">{t("webhook.setup.regenerateWarning")}</p> : null}
            <button type="submit">
              {props.hasWebhook ? t("webhook.setup.regenerate") : t("webhookStep.create")}
            </button>
          </form>
          {props.hasWebhook ? (
            <p>
              <a href="/dashboard">{t("webhookStep.toDashboard")}</a>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

const webhookForm = z.object({ from: fromField });

export function webhookStep(deps: AppDeps) {
  const app = new Hono<PageEnv>();
  const db = deps.database.db;

  app.get("/webhook", requireShop, async (c) => {
    const { progress } = await loadShopOverview(db, shopIdOf(c));
    return renderPage(c, {
      title: c.get("t")("webhook.setup.title"),
      step: "/setup/webhook",
      body: (
        <WebhookView
          ui={uiOf(c)}
          hasWebhook={progress.hasWebhook}
          publicUrl={deps.config.publicUrl}
          from={c.req.query("from")}
        />
      ),
    });
  });

  app.post("/webhook", requireShop, validForm(webhookForm), async (c) => {
    const shopId = shopIdOf(c);
    const { url } = await regenerateWebhookToken({ db, publicUrl: deps.config.publicUrl }, shopId);
    await recordAudit(db, shopId, "webhook.url_created");
    return renderPage(c, {
      title: c.get("t")("webhook.setup.title"),
      step: "/setup/webhook",
      scripts: ["copy.js"],
      body: <WebhookView ui={uiOf(c)} url={url} hasWebhook publicUrl={deps.config.publicUrl} />,
    });
  });
  return app;
}
