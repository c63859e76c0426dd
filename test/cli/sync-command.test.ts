import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyIdOf } from "../../src/crypto/aead.js";
import { Keyring } from "../../src/crypto/keyring.js";
import { openDatabase } from "../../src/db/client.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import { Limiter } from "../../src/limiter.js";
import { createOfnClient } from "../../src/ofn/client.js";
import { type RunningMailchimpSimulator, startMailchimpSimulator } from "../../src/sandbox/mailchimp.js";
import { startOfnSimulator } from "../../src/sandbox/ofn.js";
import { generateCustomers } from "../../src/sandbox/seed.js";
import { connectShop, saveEnterprises, saveProviderConnection } from "../../src/shops/connect.js";
import { hex } from "../support/ids.js";
import { REPO_ROOT } from "../support/process.js";

describe("npm run cli -- sync <shop>", () => {
  let ofn: Awaited<ReturnType<typeof startOfnSimulator>>;
  let mailchimp: RunningMailchimpSimulator;
  const dataDir = mkdtempSync(join(tmpdir(), "bridge-cli-"));
  const masterKey = randomBytes(32);
  let shopId = "";
  let mailchimpKey = "";

  beforeAll(async () => {
    ofn = await startOfnSimulator();
    mailchimp = await startMailchimpSimulator();
    const ofnKey = hex(48);
    ofn.sim.addUser({
      apiKey: ofnKey,
      enterprises: [{ id: 7, name: "Ferme du Cli", permalink: "ferme-cli" }],
    });
    ofn.sim.addCustomers(7, generateCustomers(7, 130, { awkward: true }));
    mailchimpKey = `${hex(32)}-us21`;
    mailchimp.sim.addAccount({ apiKey: mailchimpKey });
    const list = mailchimp.sim.addList(mailchimpKey, { name: "Clients" });
    // The shop is set up in the embedded database the CLI will open, then the database is closed.
    const database = await openDatabase({ dataDir: join(dataDir, "pglite") });
    await migrateDatabase(database);
    const deps = {
      db: database.db,
      keyring: new Keyring(database.db, [{ id: keyIdOf(masterKey), key: masterKey }]),
    };
    const client = createOfnClient({ instance: ofn.url, apiKey: ofnKey, limiter: new Limiter(1) });
    ({ shopId } = await connectShop(deps, { instance: ofn.url, apiKey: ofnKey, ofn: client }));
    await saveEnterprises(deps, shopId, [
      { enterprise: { id: 7, name: "Ferme du Cli" }, syncCustomers: true, announceCycles: true },
    ]);
    await saveProviderConnection(deps, shopId, {
      provider: "mailchimp",
      apiKey: mailchimpKey,
      accountLabel: "us21",
      audienceId: list.id,
    });
    await database.close();
  }, 60_000);
  afterAll(async () => {
    ofn.sim.close();
    await Promise.all([ofn.close(), mailchimp.close()]);
  });

  it("runs the sync with progress and ends with a summary table", async () => {
    const env = {
      PATH: process.env.PATH ?? "",
      DATA_DIR: dataDir,
      BRIDGE_ENCRYPTION_KEY: masterKey.toString("base64"),
      OFN_INSTANCES: ofn.url,
      MAILCHIMP_BASE_URL: mailchimp.basePath,
      LOG_LEVEL: "warn",
    };
    const result = await runAsync(process.execPath, ["--import", "tsx", "src/cli.ts", "sync", shopId], env);
    const stdout = String(result.stdout);
    const stderr = String(result.stderr);
    expect(result.status, stderr).toBe(0);
    expect(stderr).toMatch(/sync 100% \(\d+\/\d+\)/);
    expect(stdout).toMatch(/what\s+contacts/);
    expect(stdout).toMatch(/fetched\s+130/);
    expect(stdout).toContain("status: succeeded");
    expect(stdout).toMatch(/invalid emails \(first \d+\)/);
    const lists = mailchimp.sim.account(mailchimpKey).lists;
    expect([...lists.values()][0]!.members.size).toBeGreaterThan(100);
  }, 120_000);
});

/** Like spawnSync, but lets the simulators in this process keep answering while the CLI runs. */
function runAsync(command: string, args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.once("exit", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
