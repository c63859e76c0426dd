/**
 * The three simulators in their own process, so a benchmark measures the bridge's memory and CPU
 * and not the simulators'. Driven by JSON lines on stdin; answers JSON lines on stdout.
 *   {"cmd":"seed","customers":N,"latencyMs":L}      -> {"ofn","mailchimp","brevo","ofnApiKey","enterprises",...}
 *   {"cmd":"change","fraction":0.01}                -> {"changed":n}
 *   {"cmd":"counts"}                                -> {"ofnRequests","mailchimpWrites","brevoWrites",...}
 */
import { createInterface } from "node:readline";
import { brevoTestKey, createBrevoSimulator } from "../../src/sandbox/brevo.js";
import { listen } from "../../src/sandbox/controls.js";
import { createMailchimpSimulator } from "../../src/sandbox/mailchimp.js";
import { createOfnSimulator, type OfnCustomer } from "../../src/sandbox/ofn.js";
import { generateCustomers } from "../../src/sandbox/seed.js";

const ofn = createOfnSimulator();
const mailchimp = createMailchimpSimulator();
const brevo = createBrevoSimulator({ importProcessingMs: 20, generalPerHour: 100_000 });
const customers: OfnCustomer[] = [];
const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function seed(count: number, latencyMs: number) {
  const ofnServer = await listen(ofn.app);
  ofn.setPublicUrl(ofnServer.url);
  const mailchimpServer = await listen(mailchimp.app);
  const brevoServer = await listen(brevo.app);
  for (const controls of [ofn.controls, mailchimp.controls, brevo.controls]) controls.latencyMs = latencyMs;
  const ofnApiKey = "b".repeat(48);
  const enterprises = [
    { id: 1, name: "Ferme Une", permalink: "ferme-une" },
    { id: 2, name: "Ferme Deux", permalink: "ferme-deux" },
  ];
  ofn.addUser({ apiKey: ofnApiKey, enterprises });
  customers.push(...ofn.addCustomers(1, generateCustomers(1, Math.ceil(count / 2))));
  customers.push(...ofn.addCustomers(2, generateCustomers(2, Math.floor(count / 2))));
  const mailchimpApiKey = `${"c".repeat(32)}-us21`;
  mailchimp.addAccount({ apiKey: mailchimpApiKey, fromEmailVerified: ["shop@example.org"] });
  const mailchimpListId = mailchimp.addList(mailchimpApiKey, { name: "Bench" }).id;
  const brevoApiKey = brevoTestKey("bench");
  brevo.addAccount({ apiKey: brevoApiKey, senders: [{ name: "Shop", email: "shop@example.org" }] });
  const brevoListId = brevo.addList(brevoApiKey, { name: "Bench" }).id;
  reply({
    ofn: ofnServer.url,
    mailchimp: `${mailchimpServer.url}/3.0`,
    brevo: `${brevoServer.url}/v3`,
    ofnApiKey,
    enterprises,
    mailchimpApiKey,
    mailchimpListId,
    brevoApiKey,
    brevoListId: String(brevoListId),
  });
}

function counts() {
  const writes = (requests: Array<{ method: string }>) => requests.filter((r) => r.method !== "GET").length;
  reply({
    ofnRequests: ofn.controls.countRequests({ pathPrefix: "/api/v1/" }),
    mailchimpWrites: writes(mailchimp.controls.requests),
    brevoWrites: writes(brevo.controls.requests),
    mailchimpRequests: mailchimp.controls.requests.length,
    brevoRequests: brevo.controls.requests.length,
    // The simulators' own CPU, to tell a slow bridge from a busy simulator.
    simCpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
  });
  for (const controls of [ofn.controls, mailchimp.controls, brevo.controls]) controls.requests = [];
}

// The benchmark closed our stdin (it ended, or died): end too rather than linger.
createInterface({ input: process.stdin })
  .on("close", () => process.exit(0))
  .on("line", (line) => {
    const command = JSON.parse(line) as {
      cmd: string;
      customers?: number;
      latencyMs?: number;
      fraction?: number;
    };
    if (command.cmd === "seed") void seed(command.customers ?? 50_000, command.latencyMs ?? 20);
    else if (command.cmd === "counts") counts();
    else if (command.cmd === "change") {
      const step = Math.max(1, Math.round(1 / (command.fraction ?? 0.01)));
      let changed = 0;
      for (let i = 0; i < customers.length; i += step) {
        ofn.updateCustomer(customers[i]!.id, { last_name: `Changed-${i}` });
        changed += 1;
      }
      reply({ changed });
    } else if (command.cmd === "exit") process.exit(0);
  });
