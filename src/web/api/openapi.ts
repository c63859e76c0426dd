/**
 * The OpenAPI 3.1 document, generated from the route registry and the zod schemas with zod's own
 * `z.toJSONSchema`: nothing is written twice, so the document cannot disagree with the code.
 */
import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "../../errors.js";
import type { ApiRoute } from "./registry.js";
import { errorSchema, requestSchemas, responseSchemas } from "./schemas.js";

type Json = Record<string, unknown>;

const COMPONENT = "#/components/schemas/";

/** JSON Schema 2020-12 is OpenAPI 3.1's dialect; the per-schema `$schema`/`$id` markers are dropped. */
function clean(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function components(): Record<string, Json> {
  const uri = (id: string) => `${COMPONENT}${id}`;
  const output = z.toJSONSchema(responseSchemas, { io: "output", uri, unrepresentable: "any" }).schemas;
  const input = z.toJSONSchema(requestSchemas, { io: "input", uri, unrepresentable: "any" }).schemas;
  const all: Record<string, Json> = {};
  for (const [id, schema] of Object.entries({ ...output, ...input })) all[id] = clean(schema as Json);
  return all;
}

function refTo(schema: z.ZodType, registry: typeof responseSchemas, route: ApiRoute): Json {
  const id = registry.get(schema)?.id;
  if (!id)
    throw new Error(`${route.operationId}: its schema must be named in schemas.ts to appear in the document`);
  return { $ref: `${COMPONENT}${id}` };
}

/** Path or query parameters, one per property of the (object) schema. */
function parameters(schema: z.ZodType | undefined, where: "path" | "query"): Json[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const SECURITY = {
  operator: [{ operatorToken: [] }],
  shop: [{ shopKey: [], ofnInstance: [] }],
  any: [{ operatorToken: [] }, { shopKey: [], ofnInstance: [] }],
} as const;

function errorCodes(route: ApiRoute): ErrorCode[] {
  const codes = new Set<ErrorCode>(["UNAUTHORIZED", "RATE_LIMITED", ...(route.errors ?? [])]);
  if (route.params || route.query || route.body) codes.add("VALIDATION");
  if (route.body) codes.add("UNSUPPORTED_MEDIA_TYPE");
  if (route.access !== "shop") codes.add("NOT_FOUND");
  if (route.access === "operator") codes.add("FORBIDDEN");
  return [...codes];
}

function operation(route: ApiRoute): Json {
  const responses: Json = {
    [String(route.status ?? 200)]: {
      description: route.summary,
      content: { "application/json": { schema: refTo(route.response, responseSchemas, route) } },
    },
  };
  for (const code of errorCodes(route)) {
    responses[String(ERROR_STATUS[code])] = {
      description: code,
      content: { "application/json": { schema: refTo(errorSchema, responseSchemas, route) } },
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    security: SECURITY[route.access],
    parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: refTo(route.body, requestSchemas, route) } },
          },
        }
      : {}),
    responses,
  };
}

/** "/shops/:shopId" -> "/api/v1/shops/{shopId}" */
export function openApiPath(prefix: string, path: string): string {
  return `${prefix}${path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`;
}

export function buildOpenApiDocument(
  routes: readonly ApiRoute[],
  options: { prefix: string; serverUrl: string; version: string },
) {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = openApiPath(options.prefix, route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "OFN newsletter bridge API",
      version: options.version,
      description:
        "Operator endpoints take `Authorization: Bearer <ADMIN_TOKEN>`. Shop endpoints take the shop's own OFN API key as the bearer token plus `X-OFN-Instance: <instance URL>`, and reach only that shop. Errors are `{ error: { code, message, requestId } }`.",
    },
    servers: [{ url: options.serverUrl }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components(),
      securitySchemes: {
        operatorToken: { type: "http", scheme: "bearer", description: "The bridge's ADMIN_TOKEN." },
        shopKey: {
          type: "http",
          scheme: "bearer",
          description: "The shop's OFN API key (48 hex characters).",
        },
        ofnInstance: {
          type: "apiKey",
          in: "header",
          name: "X-OFN-Instance",
          description: "The shop's OFN instance URL.",
        },
      },
    },
  };
}
