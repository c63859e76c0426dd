/** Setup: the announcement template with a live preview, the sender, the delivery and the language. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../../../app.js";
import { AppError } from "../../../errors.js";
import type { Sender } from "../../../providers/types.js";
import { loadShopOverview } from "../../../shops/dashboard.js";
import { listShopSenders } from "../../../shops/provider-setup.js";
import {
  loadTemplateChoices,
  previewTemplate,
  saveTemplateChoices,
  type TemplateChoices,
} from "../../../shops/template.js";
import type { PageEnv } from "../env.js";
import { fromField, requireShop, shopIdOf, validForm } from "../middleware.js";
import type { FieldError } from "../ui/form.js";
import { renderPage } from "../ui/shell.js";
import { uiOf } from "../ui/ui.js";
import { isUpstream, upstreamAdvice } from "../ui/upstream.js";
import { PreviewContent, TemplateView } from "./template-view.js";

const templateForm = z.object({
  locale: z.enum(["en", "fr"]).catch("fr"),
  from_name: z.string().max(300).default(""),
  reply_to: z.string().max(300).default(""),
  delivery: z.enum(["send_now", "schedule", "draft"]).catch("send_now"),
  subject: z.string().max(1000).default(""),
  body: z.string().max(50_000).default(""),
  action: z.enum(["save", "preview"]).catch("save"),
  from: fromField,
});
type TemplateForm = z.infer<typeof templateForm>;

const choicesOf = (form: TemplateForm): TemplateChoices => ({
  locale: form.locale,
  fromName: form.from_name.trim(),
  replyTo: form.reply_to.trim(),
  delivery: form.delivery,
  subject: form.subject.trim(),
  body: form.body,
});

export function templateStep(deps: AppDeps) {
  const app = new Hono<PageEnv>();
  const db = deps.database.db;

  const senders = async (
    c: Parameters<typeof renderPage>[0],
  ): Promise<{ list: Sender[]; problem?: string }> => {
    try {
      const serviceDeps = { db, keyring: deps.keyring, syncDeps: deps.syncDeps, logger: c.get("logger") };
      return { list: await listShopSenders(serviceDeps, shopIdOf(c)) };
    } catch (error) {
      if (isUpstream(error)) return { list: [], problem: upstreamAdvice(uiOf(c), error).message };
      if (error instanceof AppError && error.code === "CONFLICT") return { list: [] };
      throw error;
    }
  };

  const render = async (
    c: Parameters<typeof renderPage>[0],
    values: TemplateChoices | undefined,
    errors: FieldError[],
    from?: string,
  ) => {
    const shopId = shopIdOf(c);
    const current = values ?? (await loadTemplateChoices(db, shopId));
    const [overview, found, preview] = await Promise.all([
      loadShopOverview(db, shopId),
      senders(c),
      previewTemplate(db, shopId, current, current.locale),
    ]);
    return renderPage(c, {
      title: c.get("t")("template.title"),
      step: "/setup/template",
      status: errors.length ? 400 : 200,
      hasErrors: errors.length > 0,
      scripts: ["preview.js"],
      body: (
        <TemplateView
          ui={uiOf(c)}
          values={current}
          senders={found.list}
          sendersProblem={found.problem}
          delayMinutes={overview.settings.campaigns.delayMinutes}
          preview={preview}
          errors={errors}
          from={from}
        />
      ),
    });
  };

  const validate = (c: Parameters<typeof renderPage>[0], choices: TemplateChoices): FieldError[] => {
    const t = c.get("t");
    const errors: FieldError[] = [];
    if (!choices.fromName || choices.fromName.length > 100)
      errors.push({ field: "from_name", message: t("template.error.fromName") });
    if (!z.email().safeParse(choices.replyTo).success)
      errors.push({ field: "reply_to", message: t("template.error.replyTo") });
    if (!choices.subject || choices.subject.length > 150)
      errors.push({ field: "subject", message: t("template.error.subject") });
    if (!choices.body.trim() || choices.body.length > 20_000)
      errors.push({ field: "body", message: t("template.error.body") });
    return errors;
  };

  app.get("/template", requireShop, (c) => render(c, undefined, [], c.req.query("from")));

  app.post("/template", requireShop, validForm(templateForm), async (c) => {
    const form = c.req.valid("form");
    const choices = choicesOf(form);
    if (form.action === "preview") return render(c, choices, [], form.from);
    const errors = validate(c, choices);
    if (errors.length > 0) return render(c, choices, errors, form.from);
    await saveTemplateChoices(db, shopIdOf(c), choices);
    return c.redirect(form.from === "dashboard" ? "/dashboard?notice=saved" : "/setup/webhook", 303);
  });

  /** The preview alone, for preview.js (same form fields, same CSRF check, nothing saved). */
  app.post("/template/preview", requireShop, validForm(templateForm), async (c) => {
    const choices = choicesOf(c.req.valid("form"));
    const preview = await previewTemplate(db, shopIdOf(c), choices, choices.locale);
    return c.html(<PreviewContent ui={uiOf(c)} preview={preview} />);
  });
  return app;
}
