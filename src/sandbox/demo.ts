/**
 * `npm run demo`: the bridge on an embedded database plus local simulators of OFN, Mailchimp and
 * Brevo, seeded with a shop world; prints URLs and sandbox keys (or one JSON line with --json).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config.js";
import { createLogger } from "../logger.js";
import { openRuntime } from "../runtime.js";
import { startBridge } from "../server.js";
import { createBrevoSimulator } from "./brevo.js";
import { createSandboxConsole } from "./console.js";
import { listen, type RunningServer } from "./controls.js";
import { createMailchimpSimulator } from "./mailchimp.js";
import { createOfnSimulator } from "./ofn.js";
import { seedDemoWorld } from "./seed.js";

async function listenNear(app: Parameters<typeof listen>[0], port: number): Promise<RunningServer> {
  try {
    return await listen(app, port);
  } catch {
    return listen(app, 0);
  }
}

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const ofn = createOfnSimulator({ timeZone: "Europe/Paris" });
  const mailchimp = createMailchimpSimulator();
  const brevo = createBrevoSimulator({ contactsPerSecond: 10, generalPerHour: 1_000 });
  const ofnServer = await listenNear(ofn.app, 4001);
  ofn.setPublicUrl(ofnServer.url);
  const mailchimpServer = await listenNear(mailchimp.app, 4002);
  const brevoServer = await listenNear(brevo.app, 4003);
  const world = seedDemoWorld({ ofn, mailchimp, brevo });

  // Simulators hold their state in memory, so the demo starts from a fresh database each time.
  const config = loadConfig(process.env, {
    DATA_DIR: mkdtempSync(join(tmpdir(), "ofn-bridge-demo-")),
    DATABASE_URL: "",
    OFN_INSTANCES: ofnServer.url,
    MAILCHIMP_BASE_URL: `${mailchimpServer.url}/3.0`,
    BREVO_BASE_URL: `${brevoServer.url}/v3`,
    ...(json ? { LOG_LEVEL: "warn" } : {}),
  });
  // With --json, stdout carries the one JSON line only; logs go to stderr.
  const logger = createLogger({
    level: config.LOG_LEVEL,
    destination: json ? process.stderr : process.stdout,
  });
  const runtime = await openRuntime({ config, logger });
  const bridge = await startBridge(runtime);
  const bridgeUrl = `http://localhost:${bridge.port}`;
  const consoleServer = await listenNear(
    createSandboxConsole({ ofn, mailchimp, brevo }, world, { bridge: bridgeUrl }),
    4000,
  );

  const summary = {
    bridge: bridgeUrl,
    ofn: ofnServer.url,
    mailchimp: `${mailchimpServer.url}/3.0`,
    brevo: `${brevoServer.url}/v3`,
    console: consoleServer.url,
    ofnApiKey: world.ofnApiKey,
    mailchimpApiKey: world.mailchimpApiKey,
    brevoApiKey: world.brevoApiKey,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    process.stdout.write(
      [
        "",
        "OFN newsletter bridge: demo (everything is simulated)",
        "",
        `  Bridge setup page     ${summary.bridge}`,
        `  Sandbox console       ${summary.console}   (open an order cycle, see the campaigns)`,
        `  OFN instance          ${summary.ofn}   (pick it on the setup page)`,
        `  OFN API key           ${summary.ofnApiKey}`,
        `  Mailchimp API key     ${summary.mailchimpApiKey}`,
        `  Brevo API key         ${summary.brevoApiKey}`,
        `  Verified sender       ${world.sender}`,
        "",
        "Ctrl-C stops everything.",
        "",
      ].join("\n"),
    );
  }
  const stop = async () => {
    await bridge.stop();
    ofn.close();
    brevo.close();
    await Promise.all([
      ofnServer.close(),
      mailchimpServer.close(),
      brevoServer.close(),
      consoleServer.close(),
    ]);
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

void main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
