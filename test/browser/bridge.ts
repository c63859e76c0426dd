/**
 * A real bridge for browser tests: createApp served by @hono/node-server with its workers, on an
 * embedded database in a temporary folder, pointed at the three simulators (real HTTP).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { openRuntime } from "../../src/runtime.js";
import { type BrevoSimulator, brevoTestKey, startBrevoSimulator } from "../../src/sandbox/brevo.js";
import { type MailchimpSimulator, startMailchimpSimulator } from "../../src/sandbox/mailchimp.js";
import { type OfnSimulator, startOfnSimulator } from "../../src/sandbox/ofn.js";
import { type RunningBridge, startBridge } from "../../src/server.js";

export const ARTIFACTS = resolve(import.meta.dirname, "../artifacts");

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export interface Stage {
  url: string;
  bridge: RunningBridge;
  ofn: OfnSimulator;
  ofnUrl: string;
  mailchimp: MailchimpSimulator;
  brevo: BrevoSimulator;
  browser: Browser;
  close(): Promise<void>;
}

export async function startStage(): Promise<Stage> {
  const ofn = await startOfnSimulator({ webhookTimeScale: 0.001 });
  const mailchimp = await startMailchimpSimulator();
  const brevo = await startBrevoSimulator({
    importProcessingMs: 5,
    generalPerHour: 100_000,
    contactsPerSecond: 1_000,
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: url,
    DATA_DIR: mkdtempSync(join(tmpdir(), "bridge-browser-")),
    BRIDGE_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    OFN_INSTANCES: ofn.url,
    MAILCHIMP_BASE_URL: mailchimp.basePath,
    BREVO_BASE_URL: brevo.basePath,
    LOG_LEVEL: "warn",
    WORKERS: "1",
    SCHEDULER: "false",
  });
  const runtime = await openRuntime({ config, logger: createLogger({ level: "warn" }) });
  const bridge = await startBridge(runtime);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  return {
    url,
    bridge,
    ofn: ofn.sim,
    ofnUrl: ofn.url,
    mailchimp: mailchimp.sim,
    brevo: brevo.sim,
    browser,
    async close() {
      await browser.close();
      await bridge.stop();
      ofn.sim.close();
      brevo.sim.close();
      await Promise.all([ofn.close(), mailchimp.close(), brevo.close()]);
    },
  };
}

const hex = (length: number) => randomBytes(length).toString("hex").slice(0, length);
let enterpriseSeq = 9_000;

/** An OFN user with two enterprises and customers, plus Mailchimp and Brevo accounts. */
export function seedStageShop(stage: Stage) {
  const id = hex(6);
  const ofnKey = hex(48);
  const enterprises = [
    { id: ++enterpriseSeq, name: `La Ferme des Quatre Saisons ${id}`, permalink: `quatre-saisons-${id}` },
    { id: ++enterpriseSeq, name: `Épicerie du Marché ${id}`, permalink: `epicerie-${id}` },
  ];
  stage.ofn.addUser({ apiKey: ofnKey, email: `owner-${id}@example.org`, enterprises });
  stage.ofn.addCustomers(
    enterprises[0]!.id,
    Array.from({ length: 60 }, (_, i) => ({
      email: `client${i}-${id}@example.org`,
      first_name: `Client ${i}`,
      last_name: "Test",
    })),
  );
  const sender = `bonjour-${id}@example.org`;
  const mailchimpKey = `${hex(32)}-us21`;
  stage.mailchimp.addAccount({
    apiKey: mailchimpKey,
    label: `mc-${id}`,
    fromEmailVerified: [sender],
    email: sender,
    accountName: "Quatre Saisons",
  });
  stage.mailchimp.addList(mailchimpKey, { name: "Clients de la ferme" });
  const brevoKey = brevoTestKey(id);
  stage.brevo.addAccount({
    apiKey: brevoKey,
    label: `brevo-${id}`,
    senders: [{ name: "Épicerie", email: sender }],
    emailCredits: 100_000,
  });
  stage.brevo.addList(brevoKey, { name: "Clients de l'épicerie" });
  stage.brevo.addContact(brevoKey, { email: sender });
  const doiTemplateId = stage.brevo.addTemplate(brevoKey, {
    name: "Confirmation",
    htmlContent: '<p>Confirmez : <a href="{{ doubleoptin }}">oui</a></p>',
  }).id;
  return { ofnKey, enterprises, mailchimpKey, brevoKey, sender, doiTemplateId };
}

const AXE = readFileSync(resolve(import.meta.dirname, "../../node_modules/axe-core/axe.min.js"), "utf8");

/** Runs axe-core in the page (evaluated through DevTools, so the bridge's CSP stays on) and fails on serious or critical findings. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            node: Document,
            options: object,
          ): Promise<{
            violations: Array<{
              id: string;
              impact: string | null;
              help: string;
              nodes: Array<{ target: unknown }>;
            }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious, `${label}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

export async function newContext(stage: Stage, locale: "en-GB" | "fr-FR"): Promise<BrowserContext> {
  return stage.browser.newContext({ locale, viewport: { width: 1100, height: 900 }, baseURL: stage.url });
}
