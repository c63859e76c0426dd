/** One provider client per shop connection, built from the shop's own key: never a shared SDK singleton. */
import type { Config } from "../config.js";
import { LimiterPool } from "../limiter.js";
import { createBrevoProvider } from "./brevo/index.js";
import { createMailchimpProvider } from "./mailchimp/index.js";
import type { NewsletterProvider, ProviderKind } from "./types.js";

export type ProviderFactory = (kind: ProviderKind, apiKey: string) => NewsletterProvider;

export interface ProviderFactoryOptions {
  /** Test and benchmark knob: base delay of the retry backoff. */
  retryBaseMs?: number;
}

export function createProviderFactory(
  config: Pick<Config, "MAILCHIMP_BASE_URL" | "BREVO_BASE_URL">,
  options: ProviderFactoryOptions = {},
): ProviderFactory {
  // Connection caps are per provider account (per key), shared by every run in this process.
  const mailchimpLimiters = new LimiterPool(4);
  const brevoLimiters = new LimiterPool(4);
  return (kind, apiKey) =>
    kind === "mailchimp"
      ? createMailchimpProvider({
          apiKey,
          baseUrl: config.MAILCHIMP_BASE_URL,
          limiter: mailchimpLimiters.for(apiKey),
          retryBaseMs: options.retryBaseMs,
        })
      : createBrevoProvider({
          apiKey,
          baseUrl: config.BREVO_BASE_URL,
          limiter: brevoLimiters.for(apiKey),
          retryBaseMs: options.retryBaseMs,
        });
}
