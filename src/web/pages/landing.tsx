/** `/`: what the bridge does and where to start; `/session/logout`: signing out. */
import { Hono } from "hono";
import type { AppDeps } from "../../app.js";
import { endSession } from "../session.js";
import type { PageEnv } from "./env.js";
import { pageBasics } from "./middleware.js";
import { renderPage } from "./ui/shell.js";
import { type Ui, uiOf } from "./ui/ui.js";

const NOTICES = { deleted: "landing.notice.deleted", signedOut: "landing.notice.signedOut" } as const;

function LandingView({ ui, notice }: { ui: Ui; notice?: keyof typeof NOTICES }) {
  const { t } = ui;
  return (
    <>
      {notice ? (
        <p class="notice" role="status">
          {t(NOTICES[notice])}
        </p>
      ) : null}
      <section class="card hero" aria-labelledby="landing-title">
        <h1 id="landing-title">{t("landing.title")}</h1>
        <p class="lead">{t("landing.lead")}</p>
        <ul class="benefits">
          <li>{t("landing.point.sync")}</li>
          <li>{t("landing.point.announce")}</li>
          <li>{t("landing.point.consent")}</li>
        </ul>
        <p class="actions">
          {ui.signedIn ? (
            <a class="button" href="/dashboard">
              {t("landing.toDashboard")}
            </a>
          ) : (
            <a class="button" href="/setup/instance">
              {t("landing.start")}
            </a>
          )}
        </p>
        {ui.signedIn ? null : (
          <p>
            <a href="/setup/instance?signin=1">{t("landing.signIn")}</a>
          </p>
        )}
      </section>
      <section class="card" aria-labelledby="landing-needs">
        <h2 id="landing-needs">{t("landing.needs.title")}</h2>
        <ul>
          <li>{t("landing.needs.ofn")}</li>
          <li>{t("landing.needs.provider")}</li>
          <li>{t("landing.needs.time")}</li>
        </ul>
        <p class="muted">{t("landing.privacy")}</p>
      </section>
    </>
  );
}

export function landingRoutes(deps: AppDeps) {
  const app = new Hono<PageEnv>();
  const basics = pageBasics(deps);
  app.get("/", basics, (c) => {
    const q = c.req.query("notice");
    const notice = q === "deleted" || q === "signedOut" ? q : undefined;
    return renderPage(c, {
      title: c.get("t")("landing.title"),
      body: <LandingView ui={uiOf(c)} notice={notice} />,
    });
  });
  app.post("/session/logout", basics, async (c) => {
    await endSession({ db: deps.database.db, config: deps.config }, c);
    return c.redirect("/?notice=signedOut", 303);
  });
  return app;
}
