/**
 * The one way to add a JSON API route: a description (method, path, summary, access, zod schemas
 * for every input and for the response) plus a handler. `mountRoutes` registers the Hono route
 * from it and `buildOpenApiDocument` describes it from the same object, so a route cannot exist
 * without its description, nor drift from it.
 */
import { zValidator } from "@hono/zod-validator";
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { findUnstorable } from "../../db/storable.js";
import { AppError, type ErrorCode } from "../../errors.js";
import type { AppEnv } from "../env.js";
import type { Access, Authenticate, Caller } from "./auth.js";

export type Method = "get" | "post" | "patch" | "delete";

export interface HandlerInput<P, Q, B> {
  c: Context<AppEnv>;
  caller: Caller;
  params: P;
  query: Q;
  body: B;
}

export interface RouteSpec<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
> {
  method: Method;
  /** Hono pattern under /api/v1, e.g. "/shops/:shopId". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  status?: 200 | 201 | 202;
  /** Must be a named schema (see schemas.ts): it becomes a component of the document. */
  response: R;
  /** Errors this route can answer besides the ones every route can (401, 429, 400 on bad input). */
  errors?: readonly ErrorCode[];
  handle(input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R>>;
}

export type ApiRoute = RouteSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>;

type Empty = z.ZodObject<Record<never, never>>;

export function defineRoute<
  R extends z.ZodType,
  P extends z.ZodType = Empty,
  Q extends z.ZodType = Empty,
  B extends z.ZodType = Empty,
>(spec: RouteSpec<P, Q, B, R>): ApiRoute {
  return spec as unknown as ApiRoute;
}

const LOCATION = { param: "path", query: "query", json: "body" } as const;

/** Every problem with its field's dotted path, unknown fields included, so a client can point at them. */
export function validationError(
  error: z.ZodError,
  target: keyof typeof LOCATION,
  c: Context<AppEnv>,
): AppError {
  const fields = error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: [...at, key].join("."), message: issue.message }));
    }
    return [{ field: at.join(".") || "(root)", message: issue.message }];
  });
  const where = LOCATION[target];
  const names = fields.map((f) => f.field).join(", ");
  return new AppError("VALIDATION", c.get("t")("api.invalid", { where, fields: names }), { fields });
}

function validate(target: keyof typeof LOCATION, schema: z.ZodType): MiddlewareHandler<AppEnv> {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) throw validationError(result.error as z.ZodError, target, c);
    // JSON carries NUL and lone surrogates, which PostgreSQL refuses: a 500 on save before the
    // fuzz tests found it. Refused here as the field's problem.
    const unstorable = findUnstorable(result.data);
    if (unstorable) {
      const field = unstorable.path.join(".") || "(root)";
      const where = LOCATION[target];
      throw new AppError("VALIDATION", c.get("t")("api.invalid", { where, fields: field }), {
        fields: [{ field, message: "Text with a NUL character or broken Unicode" }],
      });
    }
  }) as MiddlewareHandler<AppEnv>;
}

const requireJson: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", c.get("t")("api.jsonOnly"));
  }
  await next();
};

/** Runs the validators one after the other; each stores its result on the request or throws. */
async function runChecks(c: Context<AppEnv>, checks: MiddlewareHandler<AppEnv>[]): Promise<void> {
  for (const check of checks) {
    let passed = false;
    await check(c, async () => {
      passed = true;
    });
    if (!passed)
      throw new AppError("VALIDATION", c.get("t")("api.invalid", { where: "request", fields: "?" }));
  }
}

/** Registers every route on `app` (mounted at /api/v1): authentication, validation, scope, handler. */
export function mountRoutes(
  app: Hono<AppEnv>,
  routes: readonly ApiRoute[],
  authenticate: Authenticate,
): void {
  for (const route of routes) {
    const checks: MiddlewareHandler<AppEnv>[] = [];
    if (route.params) checks.push(validate("param", route.params));
    if (route.query) checks.push(validate("query", route.query));
    if (route.body) checks.push(requireJson, validate("json", route.body));
    // Credentials first: a stranger learns nothing about inputs from validation errors.
    const handler = async (c: Context<AppEnv>) => {
      const caller = await authenticate(c, route.access);
      await runChecks(c, checks);
      const valid = (target: string) => (c.req.valid as (target: string) => unknown).call(c.req, target);
      const params = (route.params ? valid("param") : {}) as { shopId?: string };
      // A shop may name only itself: any other shop id reads as absent, exactly like a wrong one.
      if (caller.kind === "shop" && params.shopId !== undefined && params.shopId !== caller.shopId) {
        throw new AppError("NOT_FOUND", c.get("t")("error.api.notFound"));
      }
      const result = await route.handle({
        c,
        caller,
        params,
        query: route.query ? valid("query") : {},
        body: route.body ? valid("json") : {},
      });
      return c.json(route.response.parse(result) as object, route.status ?? 200);
    };
    app.on(route.method.toUpperCase(), route.path, handler);
  }
}
