/**
 * Reads a request body as text, refusing it past a size limit without buffering more than that.
 *
 * Served by @hono/node-server, the body is read straight from Node's IncomingMessage: going through
 * the web Request (a ReadableStream over the socket, as hono's bodyLimit does) cost about a third
 * of a webhook's handling time under load. Elsewhere (app.request in tests) the web stream is read.
 * Both decode as Request.text() does: UTF-8, invalid bytes replaced, a leading BOM dropped.
 */
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

const decoder = new TextDecoder();

/** The body, or undefined when it is larger than `maxBytes` (declared or actually sent). */
export async function readBodyText(c: Context, maxBytes: number): Promise<string | undefined> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const declared = Number(incoming ? incoming.headers["content-length"] : c.req.header("content-length"));
  if (declared > maxBytes) return undefined;
  const chunks =
    incoming && !incoming.readableDidRead ? readIncoming(incoming, maxBytes) : readWeb(c, maxBytes);
  const body = await chunks;
  if (!body) return undefined;
  return decoder.decode(body.length === 1 ? body[0] : Buffer.concat(body));
}

function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Uint8Array[] | undefined> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Uint8Array[] | undefined) => {
      incoming.off("data", onData).off("end", onEnd).off("error", fail).off("close", onClose);
      done(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Nothing more is kept: after the answer Node discards the rest (bounded by its request timeout).
        incoming.pause();
        finish(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(chunks);
    const onClose = () => {
      if (!incoming.readableEnded) fail(new Error("The client closed the connection before the body ended."));
    };
    incoming.on("data", onData).on("end", onEnd).on("error", fail).on("close", onClose);
  });
}

async function readWeb(c: Context, maxBytes: number): Promise<Uint8Array[] | undefined> {
  const stream = c.req.raw.body;
  if (!stream) return [];
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
}
