import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/process.js";

describe("npm run demo", () => {
  it("starts the bridge and the simulators, prints one JSON line, and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/sandbox/demo.ts", "--json"], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    const lines: string[] = [];
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no JSON line in 60 s")), 60_000);
      createInterface({ input: child.stdout! }).on("line", (line) => {
        lines.push(line);
        clearTimeout(timer);
        resolve(line);
      });
    });
    const summary = JSON.parse(first) as Record<string, string>;
    for (const key of [
      "bridge",
      "ofn",
      "mailchimp",
      "brevo",
      "ofnApiKey",
      "mailchimpApiKey",
      "brevoApiKey",
    ]) {
      expect(typeof summary[key], key).toBe("string");
    }
    const bridge = summary.bridge!.replace("localhost", "127.0.0.1");
    expect((await fetch(`${bridge}/readyz`)).status).toBe(200);
    // The seeded OFN user: two enterprises, about 1,200 customers, awkward ones included.
    const page = (await (
      await fetch(`${summary.ofn}/api/v1/customers?per_page=100`, {
        headers: { "X-Api-Token": summary.ofnApiKey! },
      })
    ).json()) as { meta: { pagination: { results: number } } };
    expect(page.meta.pagination.results).toBeGreaterThan(1_100);
    const ping = await fetch(`${summary.mailchimp}/ping`, {
      headers: { authorization: `Basic ${Buffer.from(`x:${summary.mailchimpApiKey}`).toString("base64")}` },
    });
    expect(ping.status).toBe(200);
    const account = await fetch(`${summary.brevo}/account`, { headers: { "api-key": summary.brevoApiKey! } });
    expect(account.status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(lines).toHaveLength(1);
  }, 90_000);
});
