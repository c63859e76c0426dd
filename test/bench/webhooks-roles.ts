/**
 * The child processes of the webhook benchmark, so it measures the bridge and not its peers:
 *   sims: the Mailchimp simulator with one account (audience, one subscriber) per shop;
 *   load: the load generator, keep-alive HTTP/1.1 with N sockets in flight.
 * Both talk JSON lines over stdin/stdout.
 */
import http from "node:http";
import { createInterface } from "node:readline";
import { listen } from "../../src/sandbox/controls.js";
import { createMailchimpSimulator } from "../../src/sandbox/mailchimp.js";
import { type JsonChild, startJsonChild } from "./child.js";

export interface LoadResult {
  latencies: number[];
  rps: number;
  statuses: Record<string, number>;
  acks: Array<{ index: number; status: number; at: number; accepted: boolean }>;
}

export function startChild(role: string): JsonChild {
  return startJsonChild([
    "--import",
    "tsx",
    import.meta.filename.replace("-roles", ".bench"),
    "--role",
    role,
  ]);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export async function runRole(role: string): Promise<void> {
  const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  const handle = role === "sims" ? await simsRole() : loadRole;
  createInterface({ input: process.stdin })
    .on("line", (line) => {
      void handle(JSON.parse(line) as Record<string, unknown>).then(reply);
    })
    // The benchmark stopped or died: never outlive it.
    .on("close", () => process.exit(0));
}

async function simsRole() {
  const mailchimp = createMailchimpSimulator();
  mailchimp.controls.maxLog = 1_000;
  const server = await listen(mailchimp.app);
  const keys: string[] = [];
  return async (command: Record<string, unknown>) => {
    if (command.cmd === "seed") {
      mailchimp.controls.latencyMs = Number(command.latencyMs ?? 0);
      const accounts = Array.from({ length: Number(command.shops) }, (_, i) => {
        const apiKey = `${i.toString(16).padStart(32, "0")}-us21`;
        keys.push(apiKey);
        mailchimp.addAccount({ apiKey, fromEmailVerified: ["shop@example.org"] });
        const listId = mailchimp.addList(apiKey, { name: `Shop ${i}` }).id;
        mailchimp.addMember(apiKey, listId, { email: `customer-${i}@example.org`, status: "subscribed" });
        return { apiKey, listId };
      });
      return { basePath: `${server.url}/3.0`, accounts };
    }
    let campaigns = 0;
    let sent = 0;
    let duplicates = 0;
    for (const key of keys) {
      const all = [...mailchimp.account(key).campaigns.values()];
      campaigns += all.length;
      sent += all.filter((c) => c.status === "sent").length;
      duplicates += Math.max(0, all.length - 1);
    }
    return { campaigns, sent, duplicates };
  };
}

async function loadRole(command: Record<string, unknown>): Promise<LoadResult> {
  const deliveries = command.deliveries as Array<{ path: string; body: string }>;
  const concurrency = Number(command.concurrency);
  const url = new URL(String(command.url));
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const acks: LoadResult["acks"] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < deliveries.length) {
      const index = next++;
      const delivery = deliveries[index]!;
      const sentAt = performance.now();
      const { status, text } = await post(agent, url, delivery.path, delivery.body);
      latencies.push(performance.now() - sentAt);
      statuses[status] = (statuses[status] ?? 0) + 1;
      acks.push({ index, status, at: Date.now(), accepted: text.includes('"accepted"') });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, rps: deliveries.length / seconds, statuses, acks };
}

function post(
  agent: http.Agent,
  base: URL,
  path: string,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((done) => {
    const request = http.request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => done({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on("error", () => done({ status: 0, text: "" }));
    request.end(body);
  });
}
