/** Campaigns (status, provider link, what went wrong, retry) and the webhook deliveries received. */
import type { CampaignView, DeliveryView } from "../../../campaigns/dashboard.js";
import { ErrorSummary, type FieldError, TextField } from "../ui/form.js";
import { CsrfField } from "../ui/shell.js";
import { formatDateTime, type Ui } from "../ui/ui.js";

export function CampaignTable({
  ui,
  campaigns,
  timeZone,
}: {
  ui: Ui;
  campaigns: CampaignView[];
  timeZone: string;
}) {
  const { t } = ui;
  if (campaigns.length === 0) return <p class="muted">{t("campaigns.empty")}</p>;
  return (
    <table>
      <caption class="visually-hidden">{t("campaigns.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("campaigns.col.cycle")}</th>
          <th scope="col">{t("campaigns.col.status")}</th>
          <th scope="col">{t("campaigns.col.when")}</th>
          <th scope="col">{t("campaigns.col.actions")}</th>
        </tr>
      </thead>
      <tbody>
        {campaigns.map((campaign) => (
          <tr>
            <td>
              {campaign.orderCycleName || "—"}
              <br />
              <span class="muted">
                {campaign.kindLabel}
                {campaign.simulated ? ` · ${t("campaigns.simulated")}` : ""}
              </span>
            </td>
            <td>
              <span class={`badge ${campaign.status}`}>{campaign.statusLabel}</span>
              {campaign.reason ? <p class="problem small">{campaign.reason}</p> : null}
              {campaign.warning ? <p class="hint">{campaign.warning}</p> : null}
            </td>
            <td>
              {formatDateTime(ui, timeZone, campaign.sentAt ?? campaign.scheduledFor ?? campaign.runAt)}
            </td>
            <td>
              {campaign.providerUrl ? (
                <a href={campaign.providerUrl} rel="noopener noreferrer" target="_blank">
                  {t("campaigns.open")}
                </a>
              ) : null}
              {campaign.canRetry ? (
                <form method="post" action={`/dashboard/campaigns/${campaign.id}/retry`} class="inline">
                  <CsrfField ui={ui} />
                  <button type="submit" class="secondary">
                    {t("campaign.retry")}
                  </button>
                </form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DeliveryTable({
  ui,
  deliveries,
  timeZone,
}: {
  ui: Ui;
  deliveries: DeliveryView[];
  timeZone: string;
}) {
  const { t } = ui;
  if (deliveries.length === 0) return <p class="muted">{t("deliveries.empty")}</p>;
  return (
    <table>
      <caption class="visually-hidden">{t("deliveries.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("deliveries.col.when")}</th>
          <th scope="col">{t("deliveries.col.event")}</th>
          <th scope="col">{t("deliveries.col.outcome")}</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((delivery) => (
          <tr>
            <td>{formatDateTime(ui, timeZone, delivery.receivedAt)}</td>
            <td>
              <code>{delivery.event}</code>
              {delivery.orderCycleId !== null && delivery.orderCycleId > 0
                ? ` · ${t("deliveries.cycle", { id: delivery.orderCycleId })}`
                : ""}
            </td>
            <td>
              <span class={delivery.isTest ? "badge succeeded" : "badge"}>{delivery.label}</span>
              {delivery.receivedCount > 1 ? ` ${t("deliveries.times", { n: delivery.receivedCount })}` : ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "Send me a test", "simulate order cycle opened", and the campaigns list. */
export function CampaignSection(props: {
  ui: Ui;
  campaigns: CampaignView[];
  timeZone: string;
  provider?: string;
  errors: FieldError[];
  testEmail: string;
}) {
  const { ui, errors } = props;
  const { t } = ui;
  return (
    <section class="card" aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">{t("campaigns.title")}</h2>
      <ErrorSummary ui={ui} errors={errors} />
      <div class="grid-2">
        <form method="post" action="/dashboard/test">
          <CsrfField ui={ui} />
          <TextField
            id="test_email"
            type="email"
            autocomplete="email"
            label={t("campaigns.test.label")}
            hint={props.provider === "brevo" ? t("campaigns.test.hintBrevo") : t("campaigns.test.hint")}
            value={props.testEmail}
            error={errors[0]?.message}
          />
          <button type="submit" class="secondary">
            {t("campaign.sendTest")}
          </button>
        </form>
        <form method="post" action="/dashboard/simulate">
          <CsrfField ui={ui} />
          <p class="hint">{t("campaigns.simulate.hint")}</p>
          <button type="submit" class="secondary">
            {t("campaign.simulate")}
          </button>
        </form>
      </div>
      <CampaignTable ui={ui} campaigns={props.campaigns} timeZone={props.timeZone} />
    </section>
  );
}
