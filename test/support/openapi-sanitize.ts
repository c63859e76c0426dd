/**
 * Rewrites an OpenAPI 3.0 document in place so Ajv (draft-07 semantics) can compile its schemas:
 * vendor specs carry types, booleans and references that Ajv rejects or misreads.
 */

type Json = Record<string, unknown>;

const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
/** Non-standard types seen in the vendored specs (OFN's `decimal`) and their JSON meaning. */
const TYPE_ALIASES: Record<string, string> = { decimal: "number", float: "number", double: "number" };
/** Subtrees that hold sample data or non-schema objects, never schemas to compile. */
const SKIPPED_KEYS = new Set(["example", "examples", "securitySchemes", "enum", "const"]);
/** Keywords whose children are named by the spec author ("example" may well be a property name). */
const NAME_MAPS = new Set(["properties", "patternProperties", "schemas", "responses", "paths"]);

/** Makes every local `$ref` absolute against `id` and repairs schema keywords Ajv cannot compile. */
export function sanitizeSpec(doc: Json, id: string): void {
  walk(doc, id);
}

function walk(node: unknown, id: string, isNameMap = false): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, id);
    return;
  }
  if (!node || typeof node !== "object") return;
  const record = node as Json;
  if (!isNameMap) repairSchemaKeywords(record, id);
  for (const [key, value] of Object.entries(record)) {
    if (isNameMap) walk(value, id);
    else if (!SKIPPED_KEYS.has(key) && !key.startsWith("x-")) walk(value, id, NAME_MAPS.has(key));
  }
}

function repairSchemaKeywords(schema: Json, id: string): void {
  if (typeof schema.$ref === "string" && schema.$ref.startsWith("#")) schema.$ref = `${id}${schema.$ref}`;
  // OpenAPI 3.0 ignores siblings of $ref, but `nullable` beside it is a common way to say "or null".
  if (typeof schema.$ref === "string" && schema.nullable === true) {
    const ref = schema.$ref;
    delete schema.$ref;
    delete schema.nullable;
    schema.anyOf = [{ $ref: ref }, { type: "null" }];
  }
  if (typeof schema.type === "string" && !JSON_TYPES.has(schema.type)) {
    const alias = TYPE_ALIASES[schema.type];
    if (alias) schema.type = alias;
    else delete schema.type;
  }
  if (Array.isArray(schema.type)) schema.type = schema.type.filter((t) => JSON_TYPES.has(String(t)));
  // Ajv refuses `nullable` without `type`; without a type anything (null included) is valid anyway.
  if ("nullable" in schema && schema.type === undefined) delete schema.nullable;
  if ("required" in schema && !Array.isArray(schema.required) && !isParameterLike(schema)) {
    delete schema.required;
  }
  for (const [exclusive, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    // OpenAPI 3.0 uses boolean flags; draft-07 wants the bound itself.
    if (typeof schema[exclusive] !== "boolean") continue;
    if (schema[exclusive] === true && typeof schema[bound] === "number") {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    } else {
      delete schema[exclusive];
    }
  }
}

/** Parameter and request-body objects use a boolean `required`; they are never compiled as schemas. */
function isParameterLike(node: Json): boolean {
  return typeof node.required === "boolean" && ("in" in node || "content" in node || "name" in node);
}
