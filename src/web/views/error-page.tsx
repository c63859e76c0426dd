import type { Locale, Translate } from "../i18n/index.js";
import { Layout } from "./layout.js";

export function ErrorPage(props: {
  locale: Locale;
  t: Translate;
  title: string;
  message: string;
  requestId: string;
}) {
  const { locale, t } = props;
  return (
    <Layout title={props.title} locale={locale} t={t}>
      <section class="card" aria-labelledby="error-title">
        <h1 id="error-title">{props.title}</h1>
        <p>{props.message}</p>
        <p class="muted">{t("error.reference", { requestId: props.requestId })}</p>
        <p>
          <a class="button" href="/">
            {t("error.backHome")}
          </a>
        </p>
      </section>
    </Layout>
  );
}
