/** Disconnecting the newsletter tool and deleting everything about the shop, each behind a confirmation page. */
import { Hono } from "hono";
import type { AppDeps } from "../../../app.js";
import { loadShopOverview } from "../../../shops/dashboard.js";
import { deleteShopEverything, disconnectProvider } from "../../../shops/delete.js";
import { endSession } from "../../session.js";
import type { PageEnv } from "../env.js";
import { shopIdOf } from "../middleware.js";
import { PROVIDER_NAME } from "../setup/provider.js";
import { CsrfField, renderPage } from "../ui/shell.js";
import { type Ui, uiOf } from "../ui/ui.js";

function ConfirmView(props: { ui: Ui; title: string; body: string[]; action: string; button: string }) {
  const { ui } = props;
  return (
    <section class="card danger-zone" aria-labelledby="confirm-title">
      <h1 id="confirm-title">{props.title}</h1>
      {props.body.map((paragraph) => (
        <p>{paragraph}</p>
      ))}
      <form method="post" action={props.action}>
        <CsrfField ui={ui} />
        <button type="submit" class="danger">
          {props.button}
        </button>{" "}
        <a href="/dashboard">{ui.t("form.cancel")}</a>
      </form>
    </section>
  );
}

export function dangerRoutes(deps: AppDeps) {
  const app = new Hono<PageEnv>();
  const db = deps.database.db;

  app.get("/disconnect", async (c) => {
    const { connection } = await loadShopOverview(db, shopIdOf(c));
    if (!connection) return c.redirect("/dashboard", 303);
    const t = c.get("t");
    const service = PROVIDER_NAME[connection.provider];
    return renderPage(c, {
      title: t("danger.disconnect.title", { service }),
      body: (
        <ConfirmView
          ui={uiOf(c)}
          title={t("danger.disconnect.title", { service })}
          body={[t("danger.disconnect.body", { service }), t("danger.disconnect.after")]}
          action="/dashboard/disconnect"
          button={t("danger.disconnect.confirm", { service })}
        />
      ),
    });
  });
  app.post("/disconnect", async (c) => {
    await disconnectProvider(db, shopIdOf(c));
    return c.redirect("/dashboard?notice=disconnected", 303);
  });

  app.get("/delete", (c) => {
    const t = c.get("t");
    return renderPage(c, {
      title: t("danger.delete.title"),
      body: (
        <ConfirmView
          ui={uiOf(c)}
          title={t("danger.delete.title")}
          body={[t("danger.delete.body"), t("danger.delete.provider"), t("danger.delete.ofn")]}
          action="/dashboard/delete"
          button={t("danger.delete.confirm")}
        />
      ),
    });
  });
  app.post("/delete", async (c) => {
    await deleteShopEverything(db, shopIdOf(c));
    // The session row went with the shop (cascade); this clears the cookie too.
    await endSession({ db, config: deps.config }, c);
    return c.redirect("/?notice=deleted", 303);
  });
  return app;
}
