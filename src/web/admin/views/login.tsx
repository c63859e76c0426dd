import type { AdminUi } from "./frame.js";
import { CsrfInput } from "./frame.js";

/** The operator pastes ADMIN_TOKEN; nothing else identifies them. */
export function LoginView({ ui, error }: { ui: AdminUi; error?: string }) {
  return (
    <section class="card" aria-labelledby="login-title">
      <h1 id="login-title">{ui.t("admin.login.title")}</h1>
      <p>{ui.t("admin.login.lead")}</p>
      <form method="post" action="/admin/login">
        <CsrfInput ui={ui} />
        <div class={error ? "field has-error" : "field"}>
          <label for="token">{ui.t("admin.login.token")}</label>
          {error ? (
            <p class="error" id="token-error" role="alert">
              {error}
            </p>
          ) : null}
          <input
            id="token"
            name="token"
            type="password"
            autocomplete="current-password"
            required
            maxlength={1024}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "token-error" : undefined}
          />
        </div>
        <p>
          <button type="submit">{ui.t("admin.login.submit")}</button>
        </p>
      </form>
    </section>
  );
}
