import type { Logger } from "../logger.js";
import type { Locale, Translate } from "./i18n/index.js";

/** Variables every request carries (set by the middleware in app.ts). */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    locale: Locale;
    t: Translate;
  };
}
