/**
 * Mailchimp's error model: RFC 7807 problem documents with the real titles, so clients can branch
 * on `status` + `title` as they must against the live API.
 */
import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import type { z } from "zod";

export interface FieldError {
  field: string;
  message: string;
}

export class McProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(`${title}: ${detail}`);
    this.name = "McProblem";
  }

  toJSON(): Record<string, unknown> {
    return {
      type: "https://mailchimp.com/developer/marketing/docs/errors/",
      title: this.title,
      status: this.status,
      detail: this.detail,
      instance: randomUUID(),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const SCHEMA_DETAIL =
  "The resource submitted could not be validated. For field-specific details, see the 'errors' array.";

export const notFound = (): McProblem =>
  new McProblem(404, "Resource Not Found", "The requested resource could not be found.");

export const invalidResource = (detail: string, errors?: FieldError[]): McProblem =>
  new McProblem(400, "Invalid Resource", detail, errors);

export const internalError = (error: unknown): McProblem =>
  new McProblem(
    500,
    "Internal Server Error",
    `Sandbox error: ${error instanceof Error ? error.message : String(error)}`,
  );

export const badRequest = (detail: string): McProblem => new McProblem(400, "Bad Request", detail);

export function problemResponse(problem: McProblem): Response {
  return new Response(JSON.stringify(problem.toJSON()), {
    status: problem.status,
    headers: { "content-type": "application/problem+json; charset=utf-8", ...problem.headers },
  });
}

/** Reads a JSON body; an empty body counts as `{}` so actions without a body work. */
export async function readJson(c: Context): Promise<unknown> {
  return parseJsonText(await c.req.text());
}

export function parseJsonText(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new McProblem(400, "JSON Parse Error", "We encountered an unspecified JSON parsing error.");
  }
}

/** Validates with zod and reports failures the way Mailchimp's JSON-schema layer does. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join("."),
    message: describeIssue(issue, valueAt(input, issue.path)),
  }));
  throw invalidResource(SCHEMA_DETAIL, errors);
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === "invalid_type" && value === undefined) return "This value should not be blank.";
  if (issue.code === "invalid_union") return "Data did not match any of the schemas described in anyOf.";
  if (issue.code === "invalid_value") return "Value is not one of the enum values";
  if (issue.code === "invalid_type")
    return `Schema describes ${issue.expected}, ${typeOf(value)} found instead`;
  return issue.message;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (!current || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * Applies `fields` / `exclude_fields` (comma-separated dotted paths, e.g. "members.email_address")
 * like the API does; arrays are filtered element by element.
 */
export function filterFields(body: unknown, fields?: string, excludeFields?: string): unknown {
  let result = body;
  if (fields) result = pick(result, splitPaths(fields));
  if (excludeFields) result = omit(result, splitPaths(excludeFields));
  return result;
}

function splitPaths(spec: string): string[][] {
  return spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.split("."));
}

function pick(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, paths));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const matching = paths.filter((p) => p[0] === key);
    if (matching.length === 0) continue;
    const deeper = matching.map((p) => p.slice(1));
    out[key] = deeper.some((p) => p.length === 0) ? child : pick(child, deeper);
  }
  return out;
}

function omit(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((item) => omit(item, paths));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const matching = paths.filter((p) => p[0] === key).map((p) => p.slice(1));
    if (matching.some((p) => p.length === 0)) continue;
    out[key] = matching.length > 0 ? omit(child, matching) : child;
  }
  return out;
}

/** JSON response honouring the request's `fields` and `exclude_fields` query parameters. */
export function respond(c: Context, body: unknown, status: 200 = 200): Response {
  const filtered = filterFields(body, c.req.query("fields"), c.req.query("exclude_fields"));
  return c.json(filtered as object, status);
}
