/**
 * SDK errors -> UpstreamError. `err.message` of a BrevoError holds the whole response body, so it
 * is never copied; Brevo's own `message` field is quoted only when it is short and key-free.
 * Switch on `statusCode`: the SDK throws typed subclasses only for statuses each endpoint declares.
 */
import type { BrevoError } from "@getbrevo/brevo";
import { UpstreamError } from "../../errors.js";
import { scrubSecrets } from "../../logger.js";

const MAX_QUOTED = 200;

interface BrevoBody {
  code?: string;
  message?: string;
}

function bodyOf(error: BrevoError): BrevoBody {
  const body = error.body;
  if (typeof body !== "object" || body === null) return {};
  const { code, message } = body as Record<string, unknown>;
  return {
    code: typeof code === "string" ? code : undefined,
    message: typeof message === "string" ? message : undefined,
  };
}

/** Brevo's reason, fit to show a shop: short, and nothing in it shaped like a key or token. */
export function quotable(message: string | undefined, apiKey: string): string | undefined {
  if (!message) return undefined;
  const text = message.replace(/\s+/g, " ").trim().slice(0, MAX_QUOTED);
  if (!text) return undefined;
  if (scrubSecrets(text) !== text) return undefined;
  if (/xkeysib|xsmtpsib|api[-_ ]?key/i.test(text)) return undefined;
  if (apiKey.length >= 8 && (text.includes(apiKey) || text.includes(apiKey.slice(-12)))) return undefined;
  return text;
}

function retryAfterMs(error: BrevoError): number | undefined {
  const raw = error.rawResponse?.headers.get("x-sib-ratelimit-reset");
  const seconds = raw === null || raw === undefined ? Number.NaN : Number(raw);
  // "typically seconds" (brevo.md §3.1); anything unreadable falls back to the caller's backoff.
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
}

const withReason = (text: string, reason: string | undefined) =>
  reason ? `${text} (Brevo: "${reason}")` : text;

/** Maps a BrevoError to an UpstreamError; anything else (our own bugs, UpstreamErrors) passes through. */
export function toUpstreamError(error: unknown, apiKey: string): unknown {
  if (!isBrevoError(error)) return error;
  const status = error.statusCode;
  const { code, message } = bodyOf(error);
  const reason = quotable(message, apiKey);
  const base = { status, providerCode: code };

  if (status === undefined) {
    const timedOut = /timeout/i.test(`${error.message} ${String(error.cause ?? "")}`);
    const text = timedOut ? "Brevo did not answer in time." : "Could not reach Brevo.";
    return new UpstreamError("brevo", `${text} The bridge will try again later.`, { retryable: true });
  }
  if (status === 401) {
    return new UpstreamError(
      "brevo",
      withReason(
        "Brevo refused the API key. Paste a valid v3 API key from Brevo (Settings → SMTP & API → API keys); " +
          "if \"Block unknown IP addresses\" is on in Brevo's security settings, authorise this server's IP address.",
        reason,
      ),
      { ...base, retryable: false, permanent: true, authFailed: true },
    );
  }
  if (status === 429) {
    return new UpstreamError(
      "brevo",
      "Brevo's request limit for this account is reached; trying again later.",
      {
        ...base,
        retryable: true,
        retryAfterMs: retryAfterMs(error),
      },
    );
  }
  if (status === 408 || status === 425 || status >= 500) {
    return new UpstreamError(
      "brevo",
      `Brevo is temporarily unavailable (HTTP ${status}); trying again later.`,
      {
        ...base,
        retryable: true,
      },
    );
  }
  return new UpstreamError("brevo", permanentMessage(status, code, message, reason), {
    ...base,
    retryable: false,
    permanent: true,
  });
}

function permanentMessage(
  status: number,
  code: string | undefined,
  message: string | undefined,
  reason?: string,
) {
  if (code === "account_under_validation") {
    return withReason(
      "Brevo is still reviewing this account, so campaigns cannot be sent yet. Check the Brevo dashboard or contact Brevo support.",
      reason,
    );
  }
  if (status === 402 || code === "not_enough_credits") {
    return withReason(
      "Brevo has not enough email credits left to send this campaign. Add credits or change the plan in Brevo, or wait for the daily allowance.",
      reason,
    );
  }
  if (message && /sender is invalid|sender.*inactive/i.test(message)) {
    return withReason(
      "The sender address is not an active sender in Brevo. Add and verify it in Brevo (Senders, domains & dedicated IPs).",
      reason,
    );
  }
  if (status === 403 || code === "permission_denied") {
    return withReason("Brevo does not allow this operation for this account or API key.", reason);
  }
  if (status === 405) return withReason("This Brevo plan does not offer this feature.", reason);
  if (status === 404)
    return withReason("Brevo could not find the list, contact or campaign asked for.", reason);
  return withReason(`Brevo rejected the request (HTTP ${status}${code ? `, ${code}` : ""}).`, reason);
}

/**
 * The SDK is loaded lazily (it costs ~35 MB of memory, wasted for Mailchimp shops), so its error
 * class is recognised by name rather than by instanceof on a statically imported class.
 */
function isBrevoError(error: unknown): error is BrevoError {
  let proto = error instanceof Error ? Object.getPrototypeOf(error) : null;
  while (proto && proto !== Error.prototype) {
    if (proto.constructor?.name === "BrevoError") return true;
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}
