import type { Child } from "hono/jsx";
import type { Locale, Translate } from "../i18n/index.js";

export interface LayoutProps {
  title: string;
  locale: Locale;
  t: Translate;
  children?: Child;
}

/** The one page layout: semantic landmarks, a language switcher, no script needed. */
export function Layout({ title, locale, t, children }: LayoutProps) {
  const other = locale === "fr" ? "en" : "fr";
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t("app.name")}`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">
            {t("app.name")}
          </a>
          <a class="lang-switch" href={`/lang/${other}`} hreflang={other} lang={other}>
            {t("lang.switch")}
          </a>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
