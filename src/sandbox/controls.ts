/**
 * Knobs shared by every simulator: added latency, fault injection, a request log and a
 * concurrency gauge. Mounted under /__sandbox on each simulator; never part of a real API.
 */
import { serve } from "@hono/node-server";
import type { Context, Hono, MiddlewareHandler } from "hono";

export interface FaultRule {
  /** Only requests with this method (any when absent). */
  method?: string;
  /** Requests whose path starts with this prefix (after the simulator's own base path). */
  pathPrefix: string;
  /** Status to answer; ignored when `hang` is set. */
  status?: number;
  /** JSON body to answer with; `null` sends an empty body (Mailchimp's body-less 403). */
  body?: unknown;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
  /** How many matching requests fail; then the rule is dropped. */
  remaining: number;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  query: string;
  status: number;
  /** A short label set by the simulator (e.g. the account), never the key. */
  account?: string;
}

export class SimulatorControls {
  latencyMs = 0;
  faults: FaultRule[] = [];
  requests: RequestLogEntry[] = [];
  /** Keep at most this many log entries (benchmarks send hundreds of thousands). */
  maxLog = 50_000;
  inFlight = 0;
  peakInFlight = 0;
  private readonly hanging = new Set<() => void>();

  addFault(rule: FaultRule): void {
    this.faults.push({ ...rule });
  }

  reset(): void {
    this.latencyMs = 0;
    this.faults = [];
    this.requests = [];
    this.peakInFlight = 0;
    this.releaseHanging();
  }

  /** Resolve every hanging request (used on shutdown so servers close promptly). */
  releaseHanging(): void {
    for (const release of this.hanging) release();
    this.hanging.clear();
  }

  countRequests(filter: { method?: string; pathPrefix?: string; account?: string } = {}): number {
    return this.requests.filter(
      (r) =>
        (!filter.method || r.method === filter.method) &&
        (!filter.pathPrefix || r.path.startsWith(filter.pathPrefix)) &&
        (!filter.account || r.account === filter.account),
    ).length;
  }

  private takeFault(method: string, path: string): FaultRule | undefined {
    const index = this.faults.findIndex(
      (f) => (!f.method || f.method.toUpperCase() === method) && path.startsWith(f.pathPrefix),
    );
    if (index < 0) return undefined;
    const rule = this.faults[index]!;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.faults.splice(index, 1);
    return rule;
  }

  /**
   * Middleware: logs the request, applies latency and injected faults. `basePath` is stripped
   * before matching fault prefixes so tests write `/lists/abc` rather than `/3.0/lists/abc`.
   */
  middleware(basePath = ""): MiddlewareHandler {
    return async (c, next) => {
      const url = new URL(c.req.url);
      if (url.pathname.startsWith("/__sandbox")) return next();
      const path = url.pathname.startsWith(basePath)
        ? url.pathname.slice(basePath.length) || "/"
        : url.pathname;
      const entry: RequestLogEntry = {
        at: Date.now(),
        method: c.req.method,
        path,
        query: url.search,
        status: 0,
      };
      if (this.requests.length >= this.maxLog) this.requests.shift();
      this.requests.push(entry);
      this.inFlight += 1;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      try {
        if (this.latencyMs > 0) await sleep(this.latencyMs);
        const fault = this.takeFault(c.req.method, path);
        if (fault?.hang) {
          await new Promise<void>((resolve) => this.hanging.add(resolve));
          entry.status = 0;
          return c.body(null, 504);
        }
        if (fault) {
          entry.status = fault.status ?? 500;
          for (const [name, value] of Object.entries(fault.headers ?? {})) c.header(name, value);
          if (fault.body === null || fault.body === undefined) {
            return c.body(null, entry.status as 500);
          }
          return c.json(fault.body, entry.status as 500);
        }
        await next();
        entry.status = c.res.status;
        const account = c.get("sandboxAccount" as never) as string | undefined;
        if (account) entry.account = account;
      } finally {
        this.inFlight -= 1;
      }
    };
  }

  /** Mounts the generic control endpoints under /__sandbox. */
  mountRoutes(app: Hono): void {
    app.get("/__sandbox/requests", (c) =>
      c.json({ requests: this.requests, peakInFlight: this.peakInFlight }),
    );
    app.delete("/__sandbox/requests", (c) => {
      this.requests = [];
      this.peakInFlight = 0;
      return c.body(null, 204);
    });
    app.post("/__sandbox/latency", async (c) => {
      const body = (await c.req.json()) as { ms?: unknown };
      this.latencyMs = typeof body.ms === "number" && body.ms >= 0 ? body.ms : 0;
      return c.json({ latencyMs: this.latencyMs });
    });
    app.post("/__sandbox/faults", async (c: Context) => {
      const rule = (await c.req.json()) as FaultRule;
      if (typeof rule.pathPrefix !== "string" || typeof rule.remaining !== "number") {
        return c.json({ error: "pathPrefix (string) and remaining (number) are required" }, 400);
      }
      this.addFault(rule);
      return c.json({ faults: this.faults });
    });
    app.delete("/__sandbox/faults", (c) => {
      this.faults = [];
      this.releaseHanging();
      return c.body(null, 204);
    });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a Hono app on 127.0.0.1 (port 0 = any free port). */
export function listen(app: Hono, port = 0, onClose?: () => void): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            onClose?.();
            if ("closeAllConnections" in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.once("error", reject);
  });
}
