/** How setup steps hand over to each other, and the service dependencies they share. */
import type { Context } from "hono";
import type { AppDeps } from "../../../app.js";
import type { SignInDeps } from "../../../shops/sign-in.js";
import type { PageEnv } from "../env.js";

export function signInDepsOf(deps: AppDeps, c: Context<PageEnv>): SignInDeps {
  return {
    db: deps.database.db,
    keyring: deps.keyring,
    config: deps.config,
    syncDeps: deps.syncDeps,
    logger: c.get("logger"),
  };
}

/** Post/redirect/get: the next step, or the dashboard when the form was opened from there. */
export function stepDone(c: Context<PageEnv>, next: string, from: string | undefined) {
  return c.redirect(from === "dashboard" ? "/dashboard?notice=saved" : next, 303);
}
