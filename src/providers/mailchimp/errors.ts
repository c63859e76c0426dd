/**
 * Mailchimp failures in our terms. Only `status`, `code` and the problem document's title, detail
 * and field errors are read: the raw superagent error also holds the request with its
 * Authorization header, so it is dropped here and never stored, logged or wrapped.
 */
import { UpstreamError } from "../../errors.js";

export interface Problem {
  title: string;
  detail: string;
  errors: Array<{ field: string; message: string }>;
}

const MAX_TEXT = 300;

/** Reads a problem document (RFC 7807) from anything; missing parts become "". */
export function readProblem(body: unknown): Problem {
  const doc = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const errors = Array.isArray(doc.errors)
    ? doc.errors.flatMap((e) =>
        e && typeof e === "object" && typeof (e as { message?: unknown }).message === "string"
          ? [
              {
                field: String((e as { field?: unknown }).field ?? ""),
                message: (e as { message: string }).message,
              },
            ]
          : [],
      )
    : [];
  return {
    title: typeof doc.title === "string" ? doc.title : "",
    detail: typeof doc.detail === "string" ? doc.detail : "",
    errors,
  };
}

/** "Invalid Resource: Your merge fields were invalid. (ADDRESS: Please enter a complete address)" */
export function problemText(problem: Problem): string {
  const fields = problem.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join("; ");
  const text = [problem.title, problem.detail].filter(Boolean).join(": ") + (fields ? ` (${fields})` : "");
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** Titles that will come back the same way for the same data: never worth retrying as is. */
const PERMANENT_TITLES = new Set([
  "Member In Compliance State",
  "Forgotten Email Not Subscribed",
  "Invalid Resource",
  "Member Exists",
]);

/**
 * Whether a 4xx for one contact is permanent. The one exception is branched on detail text because
 * Mailchimp gives it no title of its own: an address that "signed up to a lot of lists very
 * recently" is refused for hours or days, then accepted.
 */
export function isPermanentProblem(status: number, problem: Problem): boolean {
  if (status === 429 || status >= 500 || (status === 403 && !problem.title)) return false;
  if (/signed up to a lot of lists very recently/i.test(problem.detail)) return false;
  return PERMANENT_TITLES.has(problem.title) || (status >= 400 && status < 500);
}

// ENOTFOUND too: the datacenter was validated, so a failed lookup is most likely the resolver's
// blip, and marking the key broken for it would disconnect a shop over a DNS hiccup.
const RETRYABLE_CODES = new Set([
  "ECONNRESET",
  "ECONNABORTED",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
]);

interface RawSdkError {
  status?: unknown;
  code?: unknown;
  timeout?: unknown;
  response?: { body?: unknown; text?: unknown };
}

/** Maps anything an SDK call rejects with; `what` says what we were doing ("reading audiences"). */
export function toUpstreamError(error: unknown, what: string): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const raw = (error && typeof error === "object" ? error : {}) as RawSdkError;
  const status = typeof raw.status === "number" ? raw.status : undefined;
  const code = typeof raw.code === "string" ? raw.code : undefined;

  if (status === undefined) {
    if (typeof raw.timeout === "number" || code === "ECONNABORTED") {
      return new UpstreamError("mailchimp", `Mailchimp did not answer in time while ${what}.`, {
        retryable: true,
        providerCode: "ECONNABORTED",
      });
    }
    if (code === undefined) {
      // Not a network error from superagent: a failure on our side of the call. Only its name is kept.
      const name = error instanceof Error ? error.name : typeof error;
      return new UpstreamError("mailchimp", `Unexpected error while ${what} (${name}).`, {
        retryable: false,
        providerCode: "Unexpected Error",
      });
    }
    return new UpstreamError("mailchimp", `Could not reach Mailchimp while ${what} (${code}).`, {
      retryable: RETRYABLE_CODES.has(code),
      providerCode: code,
    });
  }

  const problem = readProblem(raw.response?.body);
  const base = { status, providerCode: problem.title || `HTTP ${status}` };
  if (status === 401) {
    return new UpstreamError(
      "mailchimp",
      "Mailchimp refused the API key (API Key Invalid). It may have been revoked: paste a current key.",
      { ...base, retryable: false, permanent: true, authFailed: true },
    );
  }
  if (status === 429 || (status === 403 && !problem.title && !problem.detail)) {
    // Mailchimp's 10-connection limit; at high volume it answers 403 with no body and no Retry-After.
    return new UpstreamError("mailchimp", `Mailchimp is busy (too many requests) while ${what}.`, {
      ...base,
      providerCode: status === 429 ? "Too Many Requests" : "Throttled",
      retryable: true,
    });
  }
  if (status >= 500) {
    return new UpstreamError("mailchimp", `Mailchimp is unavailable (HTTP ${status}) while ${what}.`, {
      ...base,
      retryable: true,
    });
  }
  if (status === 403 && /datacenter/i.test(problem.detail)) {
    return new UpstreamError(
      "mailchimp",
      `This API key belongs to another Mailchimp datacenter: ${problemText(problem)}`,
      { ...base, retryable: false, permanent: true, authFailed: true },
    );
  }
  return new UpstreamError("mailchimp", `Mailchimp refused ${what}: ${problemText(problem)}`, {
    ...base,
    retryable: false,
    permanent: true,
  });
}
