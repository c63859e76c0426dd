/** Connection health: is OFN accepting the shop's key, is the newsletter tool, and what to do if not. */
import type { ShopOverview } from "../../../shops/dashboard.js";
import { PROVIDER_NAME } from "../setup/provider.js";
import type { Ui } from "../ui/ui.js";

function OfnHealth({ ui, overview }: { ui: Ui; overview: ShopOverview }) {
  const { t } = ui;
  const { shop } = overview;
  const broken = shop.status === "broken";
  return (
    <div class={broken ? "health broken" : "health ok"}>
      <h3>{t("health.ofn")}</h3>
      <p>
        <span class={`badge ${broken ? "failed" : "succeeded"}`}>
          {broken
            ? t("health.status.broken")
            : shop.status === "paused"
              ? t("health.status.paused")
              : t("health.status.ok")}
        </span>{" "}
        {t("health.ofn.detail", { instance: new URL(shop.ofnInstance).host, last4: shop.ofnKeyLast4 })}
      </p>
      {broken ? <p class="problem">{t("health.ofn.brokenAdvice")}</p> : null}
      <p>
        <a class={broken ? "button" : "button secondary"} href="/dashboard/ofn-key">
          {t("health.ofn.replaceKey")}
        </a>
      </p>
    </div>
  );
}

function ProviderHealth({ ui, overview }: { ui: Ui; overview: ShopOverview }) {
  const { t } = ui;
  const connection = overview.connection;
  if (!connection) {
    return (
      <div class="health broken">
        <h3>{t("health.provider")}</h3>
        <p class="problem">{t("health.provider.none")}</p>
        <p>
          <a class="button" href="/setup/provider">
            {t("health.provider.connect")}
          </a>
        </p>
      </div>
    );
  }
  const name = PROVIDER_NAME[connection.provider];
  const broken = connection.status === "broken";
  return (
    <div class={broken ? "health broken" : "health ok"}>
      <h3>{name}</h3>
      <p>
        <span class={`badge ${broken ? "failed" : "succeeded"}`}>
          {broken ? t("health.status.broken") : t("health.status.ok")}
        </span>{" "}
        {t("health.provider.detail", {
          account: connection.accountLabel ?? name,
          audience: connection.audienceName ?? t("health.provider.noAudience"),
          last4: connection.keyLast4,
        })}
      </p>
      {broken ? <p class="problem">{t("health.provider.brokenAdvice", { service: name })}</p> : null}
      {connection.audienceId ? null : (
        <p class="problem">
          <a href="/setup/audience">{t("health.provider.chooseAudience")}</a>
        </p>
      )}
      <p>
        <a
          class={broken ? "button" : "button secondary"}
          href={`/setup/provider/key?provider=${connection.provider}&from=dashboard`}
        >
          {t("health.provider.replaceKey", { service: name })}
        </a>
      </p>
    </div>
  );
}

export function HealthSection({ ui, overview }: { ui: Ui; overview: ShopOverview }) {
  return (
    <section class="card" aria-labelledby="health-title">
      <h2 id="health-title">{ui.t("health.title")}</h2>
      <div class="grid-2">
        <OfnHealth ui={ui} overview={overview} />
        <ProviderHealth ui={ui} overview={overview} />
      </div>
    </section>
  );
}
