/** The frame every setup and dashboard page shares: layout, account bar, step list, scripts. */
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { MessageKey } from "../../i18n/index.js";
import { Layout } from "../../views/layout.js";
import type { PageEnv } from "../env.js";
import { type Ui, uiOf } from "./ui.js";

export const SETUP_STEPS = [
  { path: "/setup/enterprises", key: "step.enterprises" },
  { path: "/setup/provider", key: "step.provider" },
  { path: "/setup/audience", key: "step.audience" },
  { path: "/setup/consent", key: "step.consent" },
  { path: "/setup/schedule", key: "step.schedule" },
  { path: "/setup/template", key: "step.template" },
  { path: "/setup/webhook", key: "step.webhook" },
] as const satisfies ReadonlyArray<{ path: string; key: MessageKey }>;

export type SetupStepPath = (typeof SETUP_STEPS)[number]["path"];

export function CsrfField({ ui }: { ui: Ui }) {
  return <input type="hidden" name="_csrf" value={ui.csrf} />;
}

function AccountBar({ ui }: { ui: Ui }) {
  if (!ui.signedIn) return null;
  return (
    <nav class="account-bar" aria-label={ui.t("nav.label")}>
      <a href="/dashboard">{ui.t("nav.dashboard")}</a>
      <form method="post" action="/session/logout" class="inline">
        <CsrfField ui={ui} />
        <button type="submit" class="link">
          {ui.t("nav.signOut")}
        </button>
      </form>
    </nav>
  );
}

/** "Step 3 of 7" and the list of steps; the current one is marked for screen readers. */
export function StepList({ ui, current }: { ui: Ui; current: SetupStepPath }) {
  const index = SETUP_STEPS.findIndex((step) => step.path === current);
  return (
    <nav class="steps" aria-label={ui.t("step.label")}>
      <p class="muted">{ui.t("step.progress", { n: index + 1, total: SETUP_STEPS.length })}</p>
      <ol>
        {SETUP_STEPS.map((step, i) => (
          <li
            class={i === index ? "current" : i < index ? "done" : ""}
            aria-current={i === index ? "step" : undefined}
          >
            {ui.t(step.key)}
          </li>
        ))}
      </ol>
    </nav>
  );
}

export interface PageOptions {
  title: string;
  body: Child;
  status?: 200 | 400 | 403 | 404 | 409 | 422 | 429 | 502;
  /** Scripts under /static that enhance this page. */
  scripts?: string[];
  /** The title says "Error:" first, so a screen reader hears it at once. */
  hasErrors?: boolean;
  step?: SetupStepPath;
}

export function renderPage(c: Context<PageEnv>, options: PageOptions) {
  const ui = uiOf(c);
  const title = options.hasErrors ? ui.t("form.errorTitle", { title: options.title }) : options.title;
  c.status(options.status ?? 200);
  return c.html(
    <Layout title={title} locale={ui.locale} t={ui.t}>
      <AccountBar ui={ui} />
      {options.step ? <StepList ui={ui} current={options.step} /> : null}
      {options.body}
      {(options.scripts ?? []).map((name) => (
        <script src={`/static/${name}`} defer />
      ))}
    </Layout>,
  );
}
