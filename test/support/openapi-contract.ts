/**
 * Contract checks against the vendored OpenAPI 3.0 specs in ../shared/specs: simulators and clients
 * assert that the bodies they produce or accept have the shape the real services document.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";
import { sanitizeSpec } from "./openapi-sanitize.js";

export type SpecName =
  | "ofn-api-v1.yaml"
  | "ofn-api-v0.yaml"
  | "mailchimp-marketing-api.json"
  | "brevo-api-v3.yml";

type Json = Record<string, unknown>;

interface LoadedSpec {
  doc: Json;
  ajv: Ajv;
  /** Path of every server URL, e.g. "/3.0"; callers may write templates with or without it. */
  basePaths: string[];
  validators: Map<string, ValidateFunction>;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const specs = new Map<SpecName, LoadedSpec>();

function loadSpec(name: SpecName): LoadedSpec {
  const cached = specs.get(name);
  if (cached) return cached;
  const text = readFileSync(path.resolve(repoRoot, "../shared/specs", name), "utf8");
  // "core" keeps YAML 1.1 timestamps as strings: Brevo's spec has two invalid example dates.
  const doc = (name.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { schema: "core" })) as Json;
  const id = `https://specs.invalid/${name}`;
  sanitizeSpec(doc, id);
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats.default(ajv);
  // Vendor formats (objectID, mobile, uuidv4, ...) carry no rule we could check.
  for (const format of collectUnknownFormats(doc, ajv)) ajv.addFormat(format, true);
  ajv.addSchema({ $id: id, components: doc.components ?? {} });
  const servers = (doc.servers as Array<{ url?: string }> | undefined) ?? [];
  const basePaths = servers
    .map((s) => new URL(s.url ?? "/", "http://placeholder").pathname.replace(/\/$/, ""))
    .filter((p) => p !== "");
  const loaded: LoadedSpec = { doc, ajv, basePaths, validators: new Map() };
  specs.set(name, loaded);
  return loaded;
}

function collectUnknownFormats(doc: Json, ajv: Ajv): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== "object") return;
    const record = node as Json;
    if (typeof record.format === "string" && !ajv.formats[record.format]) found.add(record.format);
    for (const [key, value] of Object.entries(record))
      if (key !== "example" && key !== "examples") walk(value);
  };
  walk(doc);
  return found;
}

/** "/lists/{listId}" and "/lists/{list_id}" name the same route; compare with parameters blanked. */
const shape = (template: string): string => template.replace(/\{[^}]*\}/g, "{}").replace(/\/+$/, "") || "/";

function findOperation(spec: LoadedSpec, specName: SpecName, method: string, pathTemplate: string): Json {
  const paths = (spec.doc.paths ?? {}) as Record<string, Json>;
  const candidates = [pathTemplate];
  for (const base of spec.basePaths) {
    if (pathTemplate.startsWith(`${base}/`)) candidates.push(pathTemplate.slice(base.length));
  }
  for (const candidate of candidates) {
    const wanted = shape(candidate);
    for (const [specPath, item] of Object.entries(paths)) {
      if (shape(specPath) !== wanted) continue;
      const operation = item[method.toLowerCase()];
      if (operation && typeof operation === "object") return operation as Json;
    }
  }
  throw new Error(`${specName} has no operation ${method.toUpperCase()} ${pathTemplate}`);
}

/** Follows a local "#/components/..." reference on a response or request body object. */
function deref(spec: LoadedSpec, node: Json): Json {
  let current = node;
  for (let hops = 0; typeof current.$ref === "string" && hops < 10; hops += 1) {
    const pointer = current.$ref.replace(/^[^#]*#/, "#");
    let target: unknown = spec.doc;
    for (const part of pointer.replace(/^#\//, "").split("/")) {
      target = (target as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    if (!target || typeof target !== "object") throw new Error(`unresolvable reference ${current.$ref}`);
    current = target as Json;
  }
  return current;
}

function pickSchema(content: unknown): unknown {
  if (!content || typeof content !== "object") return undefined;
  const media = content as Record<string, { schema?: unknown }>;
  const key =
    "application/json" in media ? "application/json" : Object.keys(media).find((k) => k.includes("json"));
  return (key ? media[key] : Object.values(media)[0])?.schema;
}

function validate(spec: LoadedSpec, cacheKey: string, schema: unknown, body: unknown): string[] {
  if (schema === undefined) {
    const empty = body === undefined || body === null || body === "";
    return empty ? [] : [`(root) expected no body, got ${typeof body}`];
  }
  let validator = spec.validators.get(cacheKey);
  if (!validator) {
    validator = spec.ajv.compile(schema as object);
    spec.validators.set(cacheKey, validator);
  }
  return validator(body) ? [] : (validator.errors ?? []).map(describeError);
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath || "(root)";
  const extra =
    error.keyword === "additionalProperties"
      ? ` (${String(error.params.additionalProperty)})`
      : error.keyword === "enum"
        ? ` (${JSON.stringify(error.params.allowedValues)})`
        : "";
  return `${where} ${error.message ?? error.keyword}${extra}`;
}

/**
 * Schema violations of a response body for `method pathTemplate` with `status` (empty = valid).
 * Throws when the spec has no such operation or neither that status nor "default".
 */
export function responseViolations(
  spec: SpecName,
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
): string[] {
  const loaded = loadSpec(spec);
  const operation = findOperation(loaded, spec, method, pathTemplate);
  const responses = (operation.responses ?? {}) as Record<string, Json>;
  const statusKey = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in responses);
  if (!statusKey) {
    throw new Error(`${spec} ${method.toUpperCase()} ${pathTemplate} documents no response ${status}`);
  }
  const response = deref(loaded, responses[statusKey]!);
  const key = `res ${method.toUpperCase()} ${pathTemplate} ${statusKey}`;
  return validate(loaded, key, pickSchema(response.content), body);
}

/** Schema violations of a request body for `method pathTemplate`; throws when none is documented. */
export function requestBodyViolations(
  spec: SpecName,
  method: string,
  pathTemplate: string,
  body: unknown,
): string[] {
  const loaded = loadSpec(spec);
  const operation = findOperation(loaded, spec, method, pathTemplate);
  if (!operation.requestBody || typeof operation.requestBody !== "object") {
    throw new Error(`${spec} ${method.toUpperCase()} ${pathTemplate} documents no request body`);
  }
  const requestBody = deref(loaded, operation.requestBody as Json);
  const key = `req ${method.toUpperCase()} ${pathTemplate}`;
  return validate(loaded, key, pickSchema(requestBody.content), body);
}
