/**
 * The only reader of process.env. Parsed once with zod; a bad value stops the process with
 * each variable's name and what it expects.
 */
import { z } from "zod";

const DEFAULT_OFN_INSTANCES = [
  "https://coopcircuits.fr",
  "https://openfoodnetwork.org.uk",
  "https://openfoodnetwork.org.au",
  "https://openfoodnetwork.ca",
  "https://openfoodnetwork.net",
  "https://openfoodnetwork.de",
  "https://openfoodnetwork.be",
];

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s/]+/i.test(v) && URL.canParse(v), "expected an http(s) URL")
  .transform((v) => v.replace(/\/+$/, ""));

const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), httpUrl.optional());

const positiveInt = (fallback: number) =>
  z.coerce
    .number({ message: "expected a whole number" })
    .int("expected a whole number")
    .positive()
    .default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number({ message: "expected a port number" }).int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// URL")
      .optional(),
  ),
  DATABASE_POOL_SIZE: positiveInt(10),
  BRIDGE_ENCRYPTION_KEY: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine(
        (v) => v.split(",").every((k) => decodesTo32Bytes(k.trim())),
        "expected one or more comma-separated 32-byte keys, base64 or 64 hex characters (first one seals)",
      )
      .optional(),
  ),
  SESSION_SECRET: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().min(32, "expected at least 32 characters").optional(),
  ),
  OFN_INSTANCES: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : DEFAULT_OFN_INSTANCES,
    )
    .pipe(z.array(httpUrl).min(1, "expected at least one OFN base URL")),
  MAILCHIMP_BASE_URL: optionalUrl,
  BREVO_BASE_URL: optionalUrl,
  ADMIN_TOKEN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().min(24, "expected at least 24 characters").optional(),
  ),
  METRICS_TOKEN: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(16).optional()),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRUST_PROXY: bool.default(false),
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  WORKERS: z.coerce.number({ message: "expected a whole number" }).int().min(0).default(2),
  MAX_CONCURRENT_SYNCS: positiveInt(4),
  CAMPAIGN_WORKERS: positiveInt(8),
  OFN_CONCURRENCY: positiveInt(2),
  SCHEDULER: bool.default(true),
  // At least 30: OFN retries a webhook for about 20 days and delivery rows are the dedup guard.
  RETENTION_DAYS: z.coerce
    .number({ message: "expected a whole number of days" })
    .int()
    .min(30, "expected at least 30 days (OFN retries deliveries for about 20 days)")
    .default(90),
});

function decodesTo32Bytes(value: string): boolean {
  if (/^[0-9a-f]{64}$/i.test(value)) return true;
  try {
    return Buffer.from(value, "base64").length === 32;
  } catch {
    return false;
  }
}

export type Config = z.infer<typeof envSchema> & { publicUrl: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses an environment (process.env by default), with `overrides` on top (the demo and
 * benchmarks point the bridge at simulators). Throws ConfigError naming each bad variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Record<string, string | undefined> = {},
): Config {
  const result = envSchema.safeParse({ ...env, ...overrides });
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`),
    );
  }
  const parsed = result.data;
  const publicUrl = parsed.PUBLIC_URL ?? `http://localhost:${parsed.PORT}`;
  return { ...parsed, publicUrl };
}
