/**
 * POST /batches: operations run after the response (status "pending" first) through the same
 * route handlers, and the results become a gzipped tar like Mailchimp's response_body_url.
 */
import { gzipSync } from "node:zlib";
import type { Hono } from "hono";
import { Header } from "tar";
import { z } from "zod";
import type { McEnv } from "./auth.js";
import {
  internalError,
  McProblem,
  notFound,
  parseJsonText,
  parseWith,
  readJson,
  respond,
} from "./problems.js";
import { postMemberTags, upsertMemberJson } from "./routes-lists.js";
import { hexId, listOrThrow, type MailchimpStore, mcTime, mcTimeOpt, parseCountOffset } from "./store.js";
import type { Batch, BatchOperationResult, MailchimpAccount } from "./types.js";

const operationSchema = z.looseObject({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
  path: z.string().min(1),
  operation_id: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  // Mailchimp wants the body as a JSON string, not an object.
  body: z.string().optional(),
});
const startSchema = z.looseObject({ operations: z.array(operationSchema) });
type Operation = z.infer<typeof operationSchema>;

const MAX_PENDING_BATCHES = 500;
const RESULTS_PER_FILE = 500;

/** Runs one operation in-process; `path` is relative to /3.0. */
export type ExecuteOperation = (path: string, init: RequestInit) => Promise<Response>;

export function batchJson(b: Batch): Record<string, unknown> {
  return {
    id: b.id,
    status: b.status,
    total_operations: b.totalOperations,
    finished_operations: b.finishedOperations,
    errored_operations: b.erroredOperations,
    submitted_at: mcTime(b.submittedAt),
    completed_at: mcTimeOpt(b.completedAt),
    response_body_url: b.responseBodyUrl,
    _links: [],
  };
}

function operationPath(op: Operation): string {
  let path = op.path.startsWith("/") ? op.path : `/${op.path}`;
  if (path.startsWith("/3.0/")) path = path.slice(4);
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(op.params ?? {})) {
    query.set(name, Array.isArray(value) ? value.join(",") : String(value));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

const MEMBER_PATH = /^\/(?:3\.0\/)?lists\/([^/?]+)\/members\/([^/?]+)(\/tags)?$/;

/**
 * The member upsert and tag update, run straight through the routes' own functions: a sync sends
 * them by the hundred thousand, and building a Request and a Response for each one made the
 * simulator, not the bridge, the bottleneck of a benchmark. Anything else (or with other query
 * parameters) takes the general path; `undefined` says so.
 */
function runMemberOperation(
  store: MailchimpStore,
  account: MailchimpAccount,
  op: Operation,
): Omit<BatchOperationResult, "operation_id"> | undefined {
  const match = MEMBER_PATH.exec(op.path);
  const params = Object.keys(op.params ?? {});
  if (!match || params.some((name) => name !== "skip_merge_validation")) return undefined;
  const tags = match[3] !== undefined;
  if (op.method !== (tags ? "POST" : "PUT")) return undefined;
  try {
    const list = listOrThrow(account, decodeURIComponent(match[1]!));
    const pathKey = decodeURIComponent(match[2]!);
    const body = parseJsonText(op.body ?? "");
    if (tags) {
      postMemberTags(store, list, pathKey, body);
      return { status_code: 204, response: "" };
    }
    const skip = String(op.params?.skip_merge_validation) === "true";
    return { status_code: 200, response: JSON.stringify(upsertMemberJson(store, list, pathKey, body, skip)) };
  } catch (error) {
    const problem = error instanceof McProblem ? error : internalError(error);
    return { status_code: problem.status, response: JSON.stringify(problem.toJSON()) };
  }
}

async function runBatch(
  store: MailchimpStore,
  account: MailchimpAccount,
  batch: Batch,
  operations: Operation[],
  execute: ExecuteOperation,
  origin: string,
): Promise<void> {
  batch.status = "started";
  for (const [index, op] of operations.entries()) {
    if (batch.canceled) return;
    let outcome = runMemberOperation(store, account, op);
    if (!outcome) {
      const response = await execute(operationPath(op), {
        method: op.method,
        headers: { authorization: `apikey ${account.apiKey}`, "content-type": "application/json" },
        ...(op.method !== "GET" && op.body !== undefined ? { body: op.body } : {}),
      });
      outcome = { status_code: response.status, response: await response.text() };
    }
    batch.results.push({ ...outcome, operation_id: op.operation_id ?? null });
    batch.finishedOperations += 1;
    if (outcome.status_code >= 400) batch.erroredOperations += 1;
    // Let other requests (status polls) in between operations of a large batch.
    if (index % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  batch.status = "finalizing";
  store.batchResults.set(batch.id, packResults(batch.results));
  batch.responseBodyUrl = `${origin}/__sandbox/batch-results/${batch.id}.tar.gz`;
  batch.completedAt = Date.now();
  batch.status = "finished";
}

/** A tar.gz that starts with a "./" entry (which trips some tar readers) followed by ./N.json files. */
export function packResults(results: BatchOperationResult[]): Buffer {
  const blocks: Buffer[] = [];
  const mtime = new Date();
  const entry = (path: string, data?: Buffer) => {
    const header = new Header({
      path,
      mode: data ? 0o644 : 0o755,
      uid: 0,
      gid: 0,
      size: data?.length ?? 0,
      mtime,
      type: data ? "File" : "Directory",
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block);
    if (data) blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  };
  entry("./");
  for (let i = 0; i * RESULTS_PER_FILE < results.length || i === 0; i += 1) {
    const chunk = results.slice(i * RESULTS_PER_FILE, (i + 1) * RESULTS_PER_FILE);
    entry(`./${i}.json`, Buffer.from(JSON.stringify(chunk)));
  }
  blocks.push(Buffer.alloc(1024));
  // The fastest level: clients cannot tell, and the simulator is not what a benchmark measures.
  return gzipSync(Buffer.concat(blocks), { level: 1 });
}

export function mountBatchRoutes(api: Hono<McEnv>, store: MailchimpStore, execute: ExecuteOperation): void {
  api.post("/batches", async (c) => {
    const account = c.get("account");
    const input = parseWith(startSchema, await readJson(c));
    const pending = [...account.batches.values()].filter((b) => b.status !== "finished").length;
    if (pending >= MAX_PENDING_BATCHES) {
      throw new McProblem(429, "Too Many Requests", "You have more than 500 pending batches.");
    }
    const batch: Batch = {
      id: hexId(5),
      status: "pending",
      totalOperations: input.operations.length,
      finishedOperations: 0,
      erroredOperations: 0,
      submittedAt: Date.now(),
      responseBodyUrl: "",
      results: [],
      canceled: false,
    };
    account.batches.set(batch.id, batch);
    const origin = new URL(c.req.url).origin;
    setTimeout(() => {
      runBatch(store, account, batch, input.operations, execute, origin).catch(() => {
        // Handlers answer errors themselves; this only guards against a crash in the runner.
        batch.status = "finished";
        batch.completedAt = Date.now();
      });
    }, 0);
    return respond(c, batchJson(batch));
  });
  api.get("/batches", (c) => {
    const { count, offset } = parseCountOffset((n) => c.req.query(n));
    const all = [...c.get("account").batches.values()];
    return respond(c, {
      batches: all.slice(offset, offset + count).map(batchJson),
      total_items: all.length,
      _links: [],
    });
  });
  api.get("/batches/:batchId", (c) => {
    const batch = c.get("account").batches.get(c.req.param("batchId"));
    if (!batch) throw notFound();
    return respond(c, batchJson(batch));
  });
  api.delete("/batches/:batchId", (c) => {
    const batches = c.get("account").batches;
    const batch = batches.get(c.req.param("batchId"));
    if (!batch) throw notFound();
    batch.canceled = true;
    batches.delete(batch.id);
    return c.body(null, 204);
  });
}
