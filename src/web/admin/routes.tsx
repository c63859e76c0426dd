/**
 * The operator admin under /admin: sign-in with ADMIN_TOKEN, shops with their health, per-shop
 * actions and the audit log. Absent (404) when ADMIN_TOKEN is not set.
 */
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import { listAuditEntries } from "../../admin/audit.js";
import { isAdminToken } from "../../admin/token.js";
import type { AppDeps } from "../../app.js";
import { clientIp } from "../rate-limit.js";
import {
  type AdminEnv,
  adminBasics,
  adminForm,
  type LoginLimit,
  loginLimiter,
  requireAdmin,
} from "./middleware.js";
import { signInAdmin, signOutAdmin } from "./session.js";
import { shopAdminRoutes } from "./shops.js";
import { AuditLogView } from "./views/audit-log.js";
import { adminUi, renderAdmin } from "./views/frame.js";
import { LoginView } from "./views/login.js";

const auditQuery = z.object({
  shop: z.guid().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export function adminRoutes(deps: AppDeps, options: { login?: LoginLimit } = {}): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const sessionDeps = { db: deps.database.db, config: deps.config };
  // "/admin/*" also matches "/admin" itself.
  app.use("/admin/*", adminBasics(deps));

  app.get("/admin/login", (c) => {
    if (c.get("adminSession")) return c.redirect("/admin", 303);
    const ui = adminUi(c);
    return renderAdmin(c, { title: ui.t("admin.login.title"), body: <LoginView ui={ui} /> });
  });

  app.post(
    "/admin/login",
    loginLimiter(deps, options.login),
    adminForm(z.object({ token: z.string().max(2048).default("") })),
    async (c) => {
      const ui = adminUi(c);
      if (!isAdminToken(deps.config, c.req.valid("form").token.trim())) {
        c.get("logger").warn({ ip: clientIp(c, deps.config.TRUST_PROXY) }, "admin sign-in refused");
        const body = <LoginView ui={ui} error={ui.t("admin.login.wrong")} />;
        return renderAdmin(c, { title: ui.t("admin.login.title"), body, status: 401 });
      }
      await signInAdmin(sessionDeps, c);
      return c.redirect("/admin", 303);
    },
  );

  app.post("/admin/logout", async (c) => {
    await signOutAdmin(sessionDeps, c);
    return c.redirect("/admin/login", 303);
  });

  app.use("/admin/*", requireAdmin);
  app.route("/", shopAdminRoutes(deps));

  app.get("/admin/audit", zValidator("query", auditQuery), async (c) => {
    const { shop, page } = c.req.valid("query");
    const entries = await listAuditEntries(deps.database.db, { shopId: shop, page, pageSize: 50 });
    const ui = adminUi(c);
    return renderAdmin(c, {
      title: ui.t("admin.audit.title"),
      body: <AuditLogView ui={ui} page={entries} shopId={shop} />,
    });
  });
  return app;
}
