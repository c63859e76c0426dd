/** The campaign step's form and its preview (also served alone to preview.js as a fragment). */
import type { RenderedCampaign } from "../../../campaigns/render.js";
import { TEMPLATE_VARIABLES } from "../../../campaigns/render.js";
import type { Sender } from "../../../providers/types.js";
import type { TemplateChoices } from "../../../shops/template.js";
import { ErrorSummary, errorFor, type FieldError, RadioGroup, ReturnField, TextField } from "../ui/form.js";
import { CsrfField } from "../ui/shell.js";
import type { Ui } from "../ui/ui.js";

export function PreviewContent({ ui, preview }: { ui: Ui; preview: RenderedCampaign }) {
  const { t } = ui;
  return (
    <>
      <p>
        <strong>{t("template.preview.subject")}</strong> {preview.subject}
      </p>
      {preview.unknownVariables.length > 0 ? (
        <p class="problem">{t("template.preview.unknown", { names: preview.unknownVariables.join(", ") })}</p>
      ) : null}
      <div class="email-preview" dangerouslySetInnerHTML={{ __html: preview.bodyHtml }} />
    </>
  );
}

function SenderField({
  ui,
  senders,
  value,
  error,
}: {
  ui: Ui;
  senders: Sender[];
  value: string;
  error?: string;
}) {
  const { t } = ui;
  if (senders.length === 0) {
    return (
      <TextField
        id="reply_to"
        type="email"
        autocomplete="email"
        label={t("template.replyTo")}
        hint={t("template.replyTo.hintNone")}
        value={value}
        error={error}
      />
    );
  }
  return (
    <div class={error ? "field has-error" : "field"}>
      <label for="reply_to">{t("template.replyTo")}</label>
      <p class="hint" id="reply_to-hint">
        {t("template.replyTo.hint")}
      </p>
      {error ? (
        <p class="error" id="reply_to-error">
          {error}
        </p>
      ) : null}
      <select
        id="reply_to"
        name="reply_to"
        aria-describedby={error ? "reply_to-hint reply_to-error" : "reply_to-hint"}
      >
        {senders.map((sender) => (
          <option value={sender.email} selected={sender.email === value}>
            {`${sender.name ? `${sender.name} <${sender.email}>` : sender.email}${sender.verified ? "" : ` (${t("template.sender.unverified")})`}`}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TemplateView(props: {
  ui: Ui;
  values: TemplateChoices;
  senders: Sender[];
  sendersProblem?: string;
  delayMinutes: number;
  preview: RenderedCampaign;
  errors: FieldError[];
  from?: string;
}) {
  const { ui, values, errors } = props;
  const { t } = ui;
  const bodyError = errorFor(errors, "body");
  return (
    <>
      <section class="card" aria-labelledby="template-title">
        <h1 id="template-title">{t("template.title")}</h1>
        <p>{t("template.lead")}</p>
        <ErrorSummary ui={ui} errors={errors} />
        <form method="post" action="/setup/template" data-preview-url="/setup/template/preview" novalidate>
          <CsrfField ui={ui} />
          <ReturnField from={props.from} />
          <div class="field">
            <label for="locale">{t("template.locale")}</label>
            <select id="locale" name="locale">
              <option value="fr" selected={values.locale === "fr"} lang="fr">
                Français
              </option>
              <option value="en" selected={values.locale === "en"} lang="en">
                English
              </option>
            </select>
          </div>
          <TextField
            id="from_name"
            label={t("template.fromName")}
            hint={t("template.fromName.hint")}
            value={values.fromName}
            error={errorFor(errors, "from_name")}
            maxlength={100}
          />
          {props.sendersProblem ? <p class="problem">{props.sendersProblem}</p> : null}
          <SenderField
            ui={ui}
            senders={props.senders}
            value={values.replyTo}
            error={errorFor(errors, "reply_to")}
          />
          <RadioGroup
            id="delivery"
            name="delivery"
            legend={t("template.delivery.legend")}
            value={values.delivery}
            options={[
              { value: "send_now", label: t("template.delivery.sendNow") },
              { value: "schedule", label: t("template.delivery.schedule", { minutes: props.delayMinutes }) },
              { value: "draft", label: t("template.delivery.draft") },
            ]}
          />
          <TextField
            id="subject"
            label={t("template.subject")}
            value={values.subject}
            error={errorFor(errors, "subject")}
            maxlength={150}
          />
          <div class={bodyError ? "field has-error" : "field"}>
            <label for="body">{t("template.body")}</label>
            <p class="hint" id="body-hint">
              {t("template.body.hint")}{" "}
              <code>{TEMPLATE_VARIABLES.map((name) => `{{${name}}}`).join(" ")}</code>
            </p>
            {bodyError ? (
              <p class="error" id="body-error">
                {bodyError}
              </p>
            ) : null}
            <textarea
              id="body"
              name="body"
              rows={12}
              aria-describedby={bodyError ? "body-hint body-error" : "body-hint"}
            >
              {values.body}
            </textarea>
          </div>
          <button type="submit" name="action" value="save">
            {t("form.saveContinue")}
          </button>{" "}
          <button type="submit" name="action" value="preview" class="secondary">
            {t("template.previewButton")}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="preview-title">
        <h2 id="preview-title">{t("template.preview.title")}</h2>
        <p class="hint">{t("template.preview.hint")}</p>
        <div data-preview aria-live="polite">
          <PreviewContent ui={ui} preview={props.preview} />
        </div>
      </section>
    </>
  );
}
