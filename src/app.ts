/**
 * createApp(deps): builds the Hono app and nothing else. No listening, no timers: tests call
 * `app.request(...)` in-process; only src/main.ts serves it.
 */
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { Config } from "./config.js";
import type { Keyring } from "./crypto/keyring.js";
import type { Database } from "./db/client.js";
import { AppError } from "./errors.js";
import type { WorkKind } from "./jobs/background.js";
import type { Logger } from "./logger.js";
import { metrics } from "./metrics.js";
import type { SyncDeps } from "./sync/run-sync.js";
import { adminRoutes } from "./web/admin/routes.js";
import { apiRoutes } from "./web/api/index.js";
import { APP_CSS } from "./web/assets.js";
import type { AppEnv } from "./web/env.js";
import { renderError } from "./web/errors.js";
import { isLocale, LANG_COOKIE, negotiateLocale, translator } from "./web/i18n/index.js";
import { createPages } from "./web/pages/index.js";
import { controlRoutes } from "./web/routes/control.js";
import { healthRoutes } from "./web/routes/health.js";
import { metricsRoutes } from "./web/routes/metrics.js";
import { webhookRoutes } from "./web/routes/webhooks.js";

export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
  keyring: Keyring;
  /** What running a sync needs (provider factory, OFN limiters); shared with the workers. */
  syncDeps: SyncDeps;
  /** Wakes this process's idle workers (work was just enqueued here). */
  wake?: (work?: WorkKind) => void;
  /** Token the CLI presents to forward commands to this process (embedded database only). */
  controlToken?: string;
  /** Set by main.ts during shutdown so /readyz turns 503 and load balancers drain us. */
  isShuttingDown?: () => boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(
    requestId({
      // Accept an upstream proxy's id only when it is harmless to echo and log.
      generator: () => crypto.randomUUID(),
      limitLength: 64,
    }),
  );
  app.use(async (c, next) => {
    const id = c.get("requestId");
    if (!REQUEST_ID.test(id)) c.set("requestId", crypto.randomUUID());
    c.header("X-Request-Id", c.get("requestId"));
    const locale = negotiateLocale(getCookie(c, LANG_COOKIE), c.req.header("accept-language"));
    c.set("locale", locale);
    c.set("t", translator(locale));
    const logger = deps.logger.child({ requestId: c.get("requestId") });
    c.set("logger", logger);
    const started = performance.now();
    await next();
    metrics.httpDuration.observe(
      { method: c.req.method, route: c.req.routePath, status: String(c.res.status) },
      (performance.now() - started) / 1000,
    );
    // The route pattern, never the raw path: webhook URLs carry a secret token.
    logger.info(
      {
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      "request",
    );
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: "same-origin",
      strictTransportSecurity: deps.config.publicUrl.startsWith("https://") ? "max-age=31536000" : false,
    }),
  );

  app.route("/", healthRoutes(deps));
  app.route("/internal/control", controlRoutes(deps));
  app.route("/", metricsRoutes(deps));
  app.route("/", webhookRoutes(deps));
  app.route("/", apiRoutes(deps));
  app.route("/", adminRoutes(deps));
  const pages = createPages(deps);
  app.route("/", pages.landing);
  app.route("/setup", pages.setup);
  app.route("/dashboard", pages.dashboard);
  app.route("/static", pages.scripts);
  app.get("/assets/app.css", (c) => {
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(APP_CSS, 200, { "Content-Type": "text/css; charset=utf-8" });
  });
  app.get("/lang/:locale", (c) => {
    const locale = c.req.param("locale");
    if (isLocale(locale)) {
      setCookie(c, LANG_COOKIE, locale, {
        path: "/",
        sameSite: "Lax",
        maxAge: 365 * 24 * 3600,
        httpOnly: true,
      });
    }
    // Only a same-site relative referrer is followed back, so this cannot become an open redirect.
    const back = c.req.header("referer");
    const path = back && URL.canParse(back) ? new URL(back).pathname : "/";
    return c.redirect(path.startsWith("/") && !path.startsWith("//") ? path : "/", 303);
  });

  app.notFound((c) => renderError(new AppError("NOT_FOUND", c.get("t")("error.api.notFound")), c));
  app.onError((err, c) => renderError(err, c));
  return app;
}
