import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildOpenApiDocument } from "../../src/web/api/openapi.js";
import { defineRoute } from "../../src/web/api/registry.js";
import { shopSchema } from "../../src/web/api/schemas.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { ADMIN_TOKEN } from "./support.js";

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  summary: string;
  security: unknown[];
  parameters: Array<{ name: string; in: string; required: boolean; schema: Json }>;
  requestBody?: Json;
  responses: Record<string, { description: string; content?: Record<string, { schema: Json }> }>;
}

let t: TestApp;
let doc: {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
};
beforeAll(async () => {
  t = await createTestApp({ ADMIN_TOKEN });
  const res = await t.app.request("/api/openapi.json");
  expect(res.status).toBe(200);
  doc = (await res.json()) as typeof doc;
});
afterAll(() => t.close());

const METHODS = ["get", "post", "put", "patch", "delete"];

/** Every JSON pointer "$ref" in the document, with where it was found. */
function refs(node: unknown, at = "#"): Array<{ ref: string; at: string }> {
  if (Array.isArray(node)) return node.flatMap((item, i) => refs(item, `${at}/${i}`));
  if (!node || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === "$ref" && typeof value === "string" ? [{ ref: value, at }] : refs(value, `${at}/${key}`),
  );
}

function resolve(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>(
      (node, key) => (node && typeof node === "object" ? (node as Json)[key] : undefined),
      root,
    );
}

describe("/api/openapi.json", () => {
  it("describes every API route the app serves, and nothing it does not", () => {
    const served = t.app.routes
      .filter((r) => r.path.startsWith("/api/v1") && METHODS.includes(r.method.toLowerCase()))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m} ${path}`),
    );
    expect(served.length).toBeGreaterThanOrEqual(14);
    expect([...new Set(served)].sort()).toEqual([...documented].sort());
  });

  it("is structurally valid OpenAPI 3.1", () => {
    expect(doc.openapi).toBe("3.1.0");
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith("/api/v1/")).toBe(true);
      for (const [method, op] of Object.entries(item)) {
        expect(METHODS).toContain(method);
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-zA-Z]+$/);
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
        expect(op.summary.length).toBeGreaterThan(0);
        expect(op.security.length).toBeGreaterThan(0);
        const placeholders = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const pathParams = op.parameters.filter((p) => p.in === "path").map((p) => p.name);
        expect(pathParams.sort(), `${method} ${path}`).toEqual(placeholders.sort());
        const statuses = Object.keys(op.responses);
        expect(
          statuses.some((s) => /^2\d\d$/.test(s)),
          `${method} ${path}`,
        ).toBe(true);
        expect(statuses).toContain("401");
        for (const response of Object.values(op.responses)) {
          expect(response.description.length).toBeGreaterThan(0);
          expect(response.content?.["application/json"]?.schema).toBeDefined();
        }
      }
    }
  });

  it("has every $ref resolve, and every component compile as JSON Schema 2020-12", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(20);
    for (const { ref, at } of all) expect(resolve(doc, ref), `${ref} at ${at}`).toBeDefined();
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    ajv.addSchema({ $id: "https://bridge.test/doc", components: doc.components });
    for (const name of Object.keys(doc.components.schemas)) {
      expect(ajv.getSchema(`https://bridge.test/doc#/components/schemas/${name}`), name).toBeDefined();
    }
  });

  it("documents the settings body from the settings schema, fields and limits included", () => {
    const patch = doc.components.schemas.SettingsPatch as {
      properties: Record<string, { properties: Record<string, Json> }>;
    };
    expect(patch.properties.sync?.properties.intervalHours).toMatchObject({
      type: "integer",
      minimum: 1,
      maximum: 168,
    });
    expect(patch.properties.sync?.properties.consent).toMatchObject({
      enum: ["subscribed", "double_opt_in", "non_marketing"],
    });
    expect(patch).toMatchObject({ additionalProperties: false });
    const op = doc.paths["/api/v1/shops/{shopId}/settings"]?.patch;
    expect(op?.requestBody).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/SettingsPatch" } } },
    });
  });

  it("refuses to describe a route whose response schema has no name", () => {
    const route = defineRoute({
      method: "get",
      path: "/nameless",
      operationId: "nameless",
      summary: "A route without a named response",
      tag: "test",
      access: "operator",
      response: z.object({ ok: z.boolean() }),
      async handle() {
        return { ok: true };
      },
    });
    const named = defineRoute({ ...route, operationId: "named", response: shopSchema } as never);
    expect(() =>
      buildOpenApiDocument([named], { prefix: "/api/v1", serverUrl: "https://x", version: "1" }),
    ).not.toThrow();
    expect(() =>
      buildOpenApiDocument([route], { prefix: "/api/v1", serverUrl: "https://x", version: "1" }),
    ).toThrow(/nameless/);
  });
});
