import type { ShopHealth } from "../../../admin/health.js";
import { type AdminUi, CsrfInput } from "./frame.js";

/** The confirmation step before a shop and all its data are deleted. */
export function DeleteShopView({ ui, shop, error }: { ui: AdminUi; shop: ShopHealth; error?: string }) {
  const name = shop.name || shop.id;
  return (
    <section class="card" aria-labelledby="delete-title">
      <h1 id="delete-title">{ui.t("admin.delete.title", { name })}</h1>
      <p>{ui.t("admin.delete.lead")}</p>
      <form method="post" action={`/admin/shops/${shop.id}/delete`}>
        <CsrfInput ui={ui} />
        {error ? (
          <p class="error" id="confirm-error" role="alert">
            {error}
          </p>
        ) : null}
        <div class="choice">
          <input
            type="checkbox"
            id="confirm"
            name="confirm"
            value="yes"
            required
            aria-describedby={error ? "confirm-error" : undefined}
          />
          <label for="confirm">{ui.t("admin.delete.confirm", { name })}</label>
        </div>
        <p>
          <button type="submit" class="danger">
            {ui.t("admin.delete.submit")}
          </button>{" "}
          <a class="button secondary" href={`/admin/shops/${shop.id}`}>
            {ui.t("admin.delete.cancel")}
          </a>
        </p>
      </form>
    </section>
  );
}
