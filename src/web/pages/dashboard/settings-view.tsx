/** Every setup choice, editable again from the dashboard, and the irreversible actions apart. */
import type { ShopOverview } from "../../../shops/dashboard.js";
import type { MessageKey } from "../../i18n/index.js";
import { PROVIDER_NAME } from "../setup/provider.js";
import type { Ui } from "../ui/ui.js";

function consentLabel(ui: Ui, consent: string): string {
  const keys: Record<string, MessageKey> = {
    subscribed: "consent.subscribed",
    double_opt_in: "consent.doubleOptIn",
    non_marketing: "consent.nonMarketing",
  };
  const key = keys[consent];
  return key ? ui.t(key) : consent;
}

export function SettingsSection({ ui, overview }: { ui: Ui; overview: ShopOverview }) {
  const { t } = ui;
  const sync = overview.settings.sync;
  const rows: Array<{ label: string; value: string; href: string }> = [
    {
      label: t("step.enterprises"),
      value: overview.enterprises.map((e) => e.name).join(", ") || "—",
      href: "/setup/enterprises?from=dashboard",
    },
    {
      label: t("step.audience"),
      value: overview.connection
        ? `${PROVIDER_NAME[overview.connection.provider]} · ${overview.connection.audienceName ?? "—"}`
        : "—",
      href: "/setup/audience?from=dashboard",
    },
    {
      label: t("step.consent"),
      value:
        consentLabel(ui, sync.consent) +
        (sync.requireTag ? ` · ${t("settings.tag", { tag: sync.requireTag })}` : ""),
      href: "/setup/consent?from=dashboard",
    },
    {
      label: t("step.schedule"),
      value: `${sync.cron ? sync.cron : t("settings.every", { n: sync.intervalHours })} · ${overview.shop.timeZone}`,
      href: "/setup/schedule?from=dashboard",
    },
    { label: t("step.template"), value: t("settings.template"), href: "/setup/template?from=dashboard" },
    {
      label: t("step.webhook"),
      value: overview.progress.hasWebhook ? t("settings.webhook.set") : t("settings.webhook.unset"),
      href: "/setup/webhook?from=dashboard",
    },
  ];
  return (
    <>
      <section class="card" aria-labelledby="settings-title">
        <h2 id="settings-title">{t("settings.title")}</h2>
        <table>
          <caption class="visually-hidden">{t("settings.title")}</caption>
          <tbody>
            {rows.map((row) => (
              <tr>
                <th scope="row">{row.label}</th>
                <td>{row.value}</td>
                <td>
                  <a href={row.href} aria-label={t("settings.changeLabel", { what: row.label })}>
                    {t("settings.change")}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card danger-zone" aria-labelledby="danger-title">
        <h2 id="danger-title">{t("danger.title")}</h2>
        <ul class="plain">
          {overview.connection ? (
            <li>
              <a href="/dashboard/disconnect">
                {t("danger.disconnect", { service: PROVIDER_NAME[overview.connection.provider] })}
              </a>
            </li>
          ) : null}
          <li>
            <a href="/dashboard/delete">{t("danger.delete")}</a>
          </li>
        </ul>
      </section>
    </>
  );
}
