/** What a shop reads when OFN, Mailchimp or Brevo fails while a page talks to it, and what to do next. */
import { UpstreamError } from "../../../errors.js";
import type { Ui } from "./ui.js";

const SERVICE_NAME = { ofn: "Open Food Network", mailchimp: "Mailchimp", brevo: "Brevo" } as const;

export function isUpstream(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}

/** A message and the page that fixes it; the raw upstream text is never shown (it may echo a key). */
export function upstreamAdvice(
  ui: Ui,
  error: UpstreamError,
): { message: string; fixHref: string; fixLabel: string } {
  const service = SERVICE_NAME[error.service];
  if (error.options.authFailed) {
    return error.service === "ofn"
      ? {
          message: ui.t("upstream.ofnRefused"),
          fixHref: "/dashboard/ofn-key",
          fixLabel: ui.t("upstream.fixOfnKey"),
        }
      : {
          message: ui.t("upstream.providerRefused", { service }),
          fixHref: `/setup/provider/key?provider=${error.service}&from=dashboard`,
          fixLabel: ui.t("upstream.fixProviderKey", { service }),
        };
  }
  return {
    message: ui.t("upstream.unreachable", { service }),
    fixHref: "",
    fixLabel: ui.t("upstream.retry"),
  };
}

/** A card saying what went wrong with the outside service, with the fix or a retry link. */
export function UpstreamProblem({
  ui,
  error,
  retryHref,
}: {
  ui: Ui;
  error: UpstreamError;
  retryHref: string;
}) {
  const advice = upstreamAdvice(ui, error);
  return (
    <div class="problem" role="alert">
      <p>{advice.message}</p>
      <p>
        <a class="button" href={advice.fixHref || retryHref}>
          {advice.fixLabel}
        </a>
      </p>
    </div>
  );
}
