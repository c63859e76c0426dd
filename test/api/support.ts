/** Calling the JSON API in-process, and checking bodies against the OpenAPI document it publishes. */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { ADMIN_TOKEN } from "../admin/support.js";
import type { TestApp } from "../support/app.js";

export { ADMIN_TOKEN };

export interface Call {
  method?: string;
  token?: string;
  /** X-OFN-Instance: set for shop-key calls. */
  instance?: string;
  body?: unknown;
  /** Raw body and content type, for malformed requests. */
  raw?: { body: string; type: string };
  ip?: string;
}

let ipSeq = 0;
/** A fresh client address per test file run, so rate limits of one test do not touch another. */
export const newIp = () => `192.0.2.${++ipSeq}`;

export async function call(t: TestApp, path: string, options: Call = {}): Promise<Response> {
  const headers: Record<string, string> = { "x-forwarded-for": options.ip ?? "198.51.100.1" };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.instance !== undefined) headers["x-ofn-instance"] = options.instance;
  let body: string | undefined;
  if (options.raw) {
    headers["content-type"] = options.raw.type;
    body = options.raw.body;
  } else if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  return t.app.request(path, { method: options.method ?? "GET", headers, body });
}

export const asOperator = (t: TestApp, path: string, options: Omit<Call, "token"> = {}) =>
  call(t, path, { ...options, token: ADMIN_TOKEN });

export interface ApiError {
  error: {
    code: string;
    message: string;
    requestId: string;
    details?: { fields?: Array<{ field: string; message: string }> };
  };
}

type Json = Record<string, unknown>;

/** Validates response bodies against the components of the served OpenAPI document. */
export async function documentValidator(t: TestApp) {
  const doc = (await (await t.app.request("/api/openapi.json")).json()) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const id = "https://bridge.test/api/openapi.json";
  ajv.addSchema({ $id: id, components: doc.components });
  return {
    doc,
    check(component: string, body: unknown): string[] {
      const validate = ajv.getSchema(`${id}#/components/schemas/${component}`);
      if (!validate) throw new Error(`no component ${component}`);
      return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    },
  };
}
