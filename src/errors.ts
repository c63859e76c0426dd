/** One error model for the whole bridge: a small set of codes, each with an HTTP status. */
export const ERROR_STATUS = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UPSTREAM: 502,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    /** Safe to show to a user: never an upstream body, never a secret. */
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
  }
}

/**
 * A failure of an outside system (OFN, Mailchimp, Brevo) mapped to our own terms. `message` is
 * safe to show a shop; the raw SDK error is never kept (it can carry the Authorization header).
 */
export class UpstreamError extends Error {
  constructor(
    readonly service: "ofn" | "mailchimp" | "brevo",
    message: string,
    readonly options: {
      status?: number;
      /** The provider's own code or title, e.g. "Member In Compliance State". */
      providerCode?: string;
      /** Worth trying again later (429, 5xx, timeouts). */
      retryable: boolean;
      /** Will fail the same way every time (bad key, fake email). */
      permanent?: boolean;
      /** The key is wrong or revoked: the connection is broken until the shop pastes a new one. */
      authFailed?: boolean;
      retryAfterMs?: number;
    },
  ) {
    super(message);
    this.name = "UpstreamError";
  }
  get retryable(): boolean {
    return this.options.retryable;
  }
  get permanent(): boolean {
    return this.options.permanent ?? !this.options.retryable;
  }
}
