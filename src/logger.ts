/**
 * Structured JSON logs (pino) that never carry a secret. Two layers, because a key can reach the
 * logger in shapes no field list foresees (an SDK error's message, a URL, a nested header):
 * 1. fields with secret-looking names are censored before serialisation;
 * 2. every serialised line is scrubbed of anything shaped like an OFN, Mailchimp or Brevo key,
 *    a Basic/Bearer credential, or a value registered with `registerSecret`.
 */
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";

export type { Logger } from "pino";

const SECRET_FIELD =
  /^(api[-_]?key|apikey|key|token|secret|password|authorization|cookie|set-cookie|x-api-token|x-spree-token|api-token|sealed.*|.*_sealed|.*secret.*|.*password.*|.*apikey.*|.*api_key.*)$/i;

const SECRET_PATTERNS: RegExp[] = [
  /xkeysib-[0-9a-z]{20,}(-[0-9a-z]{8,})?/gi, // Brevo API key
  /xsmtpsib-[0-9a-z-]{20,}/gi, // Brevo SMTP key
  /\b[0-9a-f]{32}-[a-z]{2,}[0-9]{0,3}\b/gi, // Mailchimp key with datacenter suffix
  /\b[0-9a-f]{40,64}\b/gi, // OFN user key (48 hex) and other long hex secrets
  /\b(Basic|Bearer|apikey)\s+[A-Za-z0-9+/=._-]{8,}/gi, // Authorization header values
  /([?&](token|api_key|apikey|key)=)[^&\s"]+/gi, // secrets in query strings
];

const registered = new Set<string>();

/** Adds a value to mask wherever it appears (e.g. a key the process just unsealed). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 8) registered.add(value);
}

export function scrubSecrets(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, prefix) =>
      typeof prefix === "string" && /^[?&]/.test(prefix) ? `${prefix}[REDACTED]` : "[REDACTED]",
    );
  }
  for (const value of registered) {
    if (out.includes(value)) out = out.split(value).join("[REDACTED]");
    const b64 = Buffer.from(value).toString("base64");
    if (out.includes(b64)) out = out.split(b64).join("[REDACTED]");
  }
  return out;
}

function censorFields(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    // drizzle wraps a database error as "Failed query: <sql>\nparams: <every bound value>": the
    // values are customers' emails and names (a whole chunk of them), and the reason itself is only
    // in `cause`. So the parameters are cut, and the cause chain is kept (fault tests found both).
    const message = value.message.replace(/\nparams: [\s\S]*$/, "");
    const cause = value.cause !== undefined && depth < 3 ? censorFields(value.cause, depth + 1) : undefined;
    return {
      type: value.name,
      message: message.length > 1_000 ? `${message.slice(0, 1_000)}…` : message,
      code: (value as { code?: unknown }).code,
      ...(cause !== undefined ? { cause } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => censorFields(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    out[name] = SECRET_FIELD.test(name) ? "[REDACTED]" : censorFields(item, depth + 1);
  }
  return out;
}

class ScrubbingStream extends Writable {
  constructor(private readonly target: NodeJS.WritableStream) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.target.write(scrubSecrets(chunk.toString("utf8")));
    done();
  }
}

export interface LoggerOptions {
  level?: string;
  /** Where lines go (stdout by default); tests pass a collector. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "ofn-newsletter-bridge" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => censorFields(object) as Record<string, unknown>,
      },
      serializers: { err: (err: Error) => censorFields(err) },
    },
    new ScrubbingStream(options.destination ?? process.stdout),
  );
}
