/**
 * POST /batches, poll until finished, download the gzipped tar of results and index them by
 * operation_id. Mailchimp answers 200 for the batch whatever happens to each operation: the
 * truth is in the tar, where every `response` is itself a JSON string.
 */
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { Parser, type ReadEntry } from "tar";
import { z } from "zod";
import { UpstreamError } from "../../errors.js";
import { withRetry } from "../../limiter.js";
import { type McClient, readBody } from "./client.js";

export interface BatchOperation {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  operation_id: string;
  params?: Record<string, string>;
  /** A JSON string, as Mailchimp wants it. */
  body?: string;
}

export interface OperationResult {
  statusCode: number;
  /**
   * What the bridge reads from the response: a member's `status`, a problem's `title`, `detail`,
   * `errors` ({} for an empty body such as a 204). The rest is dropped while reading: a member is
   * ~1.5 KB of JSON, and a thousand of them per batch outliving the polling piled up in the heap.
   */
  body: Record<string, unknown>;
}

export interface BatchOptions {
  /** Give up (retryable) when the batch has not finished by then. */
  timeoutMs: number;
}

const batchSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  response_body_url: z.string().optional(),
});
const resultSchema = z.array(
  z.looseObject({
    status_code: z.number(),
    operation_id: z.string().nullable().optional(),
    response: z.string().optional(),
  }),
);

const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 5_000;
const DOWNLOAD_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runBatch(
  client: McClient,
  operations: BatchOperation[],
  options: BatchOptions,
): Promise<Map<string, OperationResult>> {
  const started = readBody(
    batchSchema,
    await client.call("refused-only", "starting a batch", (api) => api.batches.start({ operations })),
    "the batch start",
  );
  const deadline = Date.now() + options.timeoutMs;
  let batch = started;
  // Growing pauses (25 ms, 40, 64, ... 5 s): small batches finish in well under a second, big
  // ones take minutes; a two-minute batch costs about 30 polls.
  for (let pause = FIRST_POLL_MS; batch.status !== "finished"; pause = Math.min(MAX_POLL_MS, pause * 1.6)) {
    if (Date.now() + pause > deadline) {
      await client
        .call("idempotent", "stopping a batch", (api) => api.batches.deleteRequest(started.id))
        .catch(() => undefined); // Best effort: whatever already ran stays, and every write is an upsert.
      throw new UpstreamError(
        "mailchimp",
        `Mailchimp did not finish batch ${started.id} within ${Math.round(options.timeoutMs / 1000)} s; these contacts will be written on the next run.`,
        { retryable: true, providerCode: "Batch Timeout" },
      );
    }
    await sleep(pause);
    batch = readBody(
      batchSchema,
      await client.call("idempotent", "checking a batch", (api) =>
        api.batches.status(started.id, { fields: ["id", "status", "response_body_url"] }),
      ),
      "the batch status",
    );
  }
  if (!batch.response_body_url) return new Map();
  return readResults(await download(client, batch.response_body_url));
}

/**
 * Downloads the results without any credential (the URL is pre-signed). Only https URLs are
 * fetched, or the configured API's own origin (the simulator), so a batch status cannot steer
 * the bridge to an internal address.
 */
async function download(client: McClient, url: string): Promise<Buffer> {
  const target = new URL(url);
  if (target.protocol !== "https:" && target.origin !== client.baseOrigin) {
    throw new UpstreamError("mailchimp", "Mailchimp gave a batch result address the bridge will not open.", {
      retryable: false,
      permanent: true,
      providerCode: "Unsafe Result URL",
    });
  }
  return withRetry(
    async () => {
      let response: Response;
      try {
        response = await fetch(target, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      } catch {
        throw new UpstreamError("mailchimp", "Could not download the batch results from Mailchimp.", {
          retryable: true,
          providerCode: "Download Failed",
        });
      }
      if (!response.ok) {
        throw new UpstreamError("mailchimp", `Downloading batch results failed (HTTP ${response.status}).`, {
          status: response.status,
          retryable: response.status === 429 || response.status >= 500,
          providerCode: "Download Failed",
        });
      }
      return Buffer.from(await response.arrayBuffer());
    },
    {
      attempts: 4,
      baseMs: client.retryBaseMs,
      maxMs: client.retryBaseMs * 8,
      shouldRetry: (error) => error instanceof UpstreamError && error.retryable,
    },
  );
}

/** Untars the results; entries start with "./" (a directory entry first, then ./N.json files). */
export async function readResults(gz: Buffer): Promise<Map<string, OperationResult>> {
  const tarball = await promisify(gunzip)(gz);
  const files: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        if (entry.type !== "File" || !entry.path.endsWith(".json")) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on("data", (chunk: Buffer) => chunks.push(chunk));
        entry.on("end", () => files.push(Buffer.concat(chunks).toString("utf8")));
      },
    });
    parser.on("end", () => resolve());
    parser.on("error", reject);
    parser.end(tarball);
  });
  const results = new Map<string, OperationResult>();
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(file);
    } catch {
      parsed = undefined;
    }
    for (const item of readBody(resultSchema, parsed, "the batch results")) {
      if (!item.operation_id) continue;
      results.set(item.operation_id, { statusCode: item.status_code, body: essentials(item.response) });
    }
  }
  return results;
}

const KEPT_FIELDS = ["status", "type", "title", "detail", "errors"] as const;

function essentials(text: string | undefined): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const kept: Record<string, unknown> = {};
  if (!parsed || typeof parsed !== "object") return kept;
  for (const field of KEPT_FIELDS) {
    if (field in parsed) kept[field] = (parsed as Record<string, unknown>)[field];
  }
  return kept;
}
