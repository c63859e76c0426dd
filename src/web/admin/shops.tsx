/** The admin's shop pages: the list with health, one shop, pause / resume / sync, deletion with a confirmation step. */
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { deleteShop, requestSync, setShopPaused } from "../../admin/actions.js";
import { getShopHealth, listShopHealth, SHOP_STATUSES } from "../../admin/health.js";
import { loadShopDetail } from "../../admin/shop-detail.js";
import type { AppDeps } from "../../app.js";
import { problemError } from "../api/problems.js";
import type { MessageKey } from "../i18n/index.js";
import { type AdminEnv, adminForm, shopIdParam } from "./middleware.js";
import { DeleteShopView } from "./views/delete.js";
import { adminUi, renderAdmin } from "./views/frame.js";
import { ShopDetailView } from "./views/shop-detail.js";
import { ShopListView } from "./views/shop-list.js";

const NOTICES = {
  paused: "admin.notice.paused",
  resumed: "admin.notice.resumed",
  sync: "admin.notice.sync",
  syncRunning: "admin.notice.syncRunning",
  deleted: "admin.notice.deleted",
} as const satisfies Record<string, MessageKey>;

const done = z
  .enum(Object.keys(NOTICES) as [keyof typeof NOTICES])
  .optional()
  .catch(undefined);

const listQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: z.enum(SHOP_STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  done,
});

const PAGE_SIZE = 50;

export function shopAdminRoutes(deps: AppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const db = deps.database.db;
  const notice = (c: Context<AdminEnv>, key: z.infer<typeof done>) =>
    key ? c.get("t")(NOTICES[key]) : undefined;

  app.get("/admin", zValidator("query", listQuery), async (c) => {
    const { q, status, page, done: key } = c.req.valid("query");
    const shops = await listShopHealth(db, { q, status, page, pageSize: PAGE_SIZE });
    const ui = adminUi(c);
    const body = <ShopListView ui={ui} page={shops} q={q} status={status} notice={notice(c, key)} />;
    return renderAdmin(c, { title: ui.t("admin.shops.title"), body });
  });

  app.get("/admin/shops/:shopId", shopIdParam, zValidator("query", z.object({ done })), async (c) => {
    const detail = await loadShopDetail(db, c.req.valid("param").shopId, c.get("locale"));
    const ui = adminUi(c);
    const body = <ShopDetailView ui={ui} detail={detail} notice={notice(c, c.req.valid("query").done)} />;
    return renderAdmin(c, { title: detail.health.name || detail.health.id, body });
  });

  for (const paused of [true, false]) {
    app.post(`/admin/shops/:shopId/${paused ? "pause" : "resume"}`, shopIdParam, async (c) => {
      const { shopId } = c.req.valid("param");
      const result = await setShopPaused(db, shopId, paused, "admin");
      if (!result.ok) throw problemError(c.get("t"), result.problem);
      return c.redirect(`/admin/shops/${shopId}?done=${paused ? "paused" : "resumed"}`, 303);
    });
  }

  app.post("/admin/shops/:shopId/sync", shopIdParam, async (c) => {
    const { shopId } = c.req.valid("param");
    const result = await requestSync({ db, wake: deps.wake }, shopId, "admin");
    if (!result.ok) throw problemError(c.get("t"), result.problem);
    return c.redirect(`/admin/shops/${shopId}?done=${result.value.created ? "sync" : "syncRunning"}`, 303);
  });

  app.get("/admin/shops/:shopId/delete", shopIdParam, async (c) => {
    const shop = await getShopHealth(db, c.req.valid("param").shopId);
    const ui = adminUi(c);
    return renderAdmin(c, {
      title: ui.t("admin.delete.title", { name: shop.name || shop.id }),
      body: <DeleteShopView ui={ui} shop={shop} />,
    });
  });

  app.post(
    "/admin/shops/:shopId/delete",
    shopIdParam,
    adminForm(z.object({ confirm: z.string().optional() })),
    async (c) => {
      const { shopId } = c.req.valid("param");
      if (c.req.valid("form").confirm !== "yes") {
        // The confirmation step was skipped: show it again, nothing deleted.
        const shop = await getShopHealth(db, shopId);
        const ui = adminUi(c);
        const body = <DeleteShopView ui={ui} shop={shop} error={ui.t("admin.delete.unconfirmed")} />;
        return renderAdmin(c, {
          title: ui.t("admin.delete.title", { name: shop.name || shop.id }),
          body,
          status: 400,
        });
      }
      await deleteShop(db, shopId, "admin");
      return c.redirect("/admin?done=deleted", 303);
    },
  );

  return app;
}
