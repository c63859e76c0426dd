import type { AppEnv } from "../env.js";
import type { ShopSession } from "../session.js";

/** What the setup and dashboard pages carry on top of AppEnv. */
export interface PageEnv {
  Variables: AppEnv["Variables"] & {
    /** The signed-in shop's session, when there is one. */
    session?: ShopSession;
    /** The token every form of this response carries. */
    csrfToken: string;
  };
}
