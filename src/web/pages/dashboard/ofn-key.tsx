/** Replacing the shop's OFN key (OFN regenerated it, or it was revoked): checked live before it is stored. */
import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AppDeps } from "../../../app.js";
import { loadShopOverview } from "../../../shops/dashboard.js";
import { replaceShopOfnKey } from "../../../shops/sign-in.js";
import type { PageEnv } from "../env.js";
import { shopIdOf, validForm } from "../middleware.js";
import { signInDepsOf } from "../setup/flow.js";
import { OfnKeyHelp, ofnKeyProblemMessage } from "../setup/ofn-key.js";
import { ErrorSummary, type FieldError, TextField } from "../ui/form.js";
import { CsrfField, renderPage } from "../ui/shell.js";
import { type Ui, uiOf } from "../ui/ui.js";

function ReplaceView(props: { ui: Ui; instance: string; last4: string; errors: FieldError[] }) {
  const { ui } = props;
  const { t } = ui;
  return (
    <section class="card" aria-labelledby="replace-title">
      <h1 id="replace-title">{t("replaceOfn.title")}</h1>
      <p>{t("replaceOfn.lead", { last4: props.last4 })}</p>
      <ErrorSummary ui={ui} errors={props.errors} />
      <OfnKeyHelp ui={ui} instance={props.instance} />
      <form method="post" action="/dashboard/ofn-key" novalidate>
        <CsrfField ui={ui} />
        <TextField
          id="ofn_key"
          label={t("ofnKey.label")}
          hint={t("ofnKey.hint")}
          error={props.errors[0]?.message}
          spellcheck={false}
          maxlength={200}
        />
        <button type="submit">{t("replaceOfn.submit")}</button> <a href="/dashboard">{t("form.cancel")}</a>
      </form>
    </section>
  );
}

const keyForm = z.object({ ofn_key: z.string().max(500).default("") });

export function ofnKeyRoutes(deps: AppDeps, keyLimit: MiddlewareHandler<PageEnv>) {
  const app = new Hono<PageEnv>();
  const db = deps.database.db;
  const render = async (
    c: Parameters<typeof renderPage>[0],
    errors: FieldError[],
    status: 200 | 400 | 409 | 502,
  ) => {
    const { shop } = await loadShopOverview(db, shopIdOf(c));
    return renderPage(c, {
      title: c.get("t")("replaceOfn.title"),
      status,
      hasErrors: errors.length > 0,
      body: <ReplaceView ui={uiOf(c)} instance={shop.ofnInstance} last4={shop.ofnKeyLast4} errors={errors} />,
    });
  };

  app.get("/ofn-key", (c) => render(c, [], 200));
  app.post("/ofn-key", keyLimit, validForm(keyForm), async (c) => {
    const shopId = shopIdOf(c);
    const { shop } = await loadShopOverview(db, shopId);
    const result = await replaceShopOfnKey(
      signInDepsOf(deps, c),
      { id: shopId, ofnInstance: shop.ofnInstance },
      c.req.valid("form").ofn_key,
    );
    if (!result.ok) {
      const message = ofnKeyProblemMessage(c.get("t"), result.problem, shop.ofnInstance);
      const status = result.problem === "unreachable" ? 502 : result.problem === "taken" ? 409 : 400;
      return render(c, [{ field: "ofn_key", message }], status);
    }
    return c.redirect("/dashboard?notice=keyReplaced", 303);
  });
  return app;
}
