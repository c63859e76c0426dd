/**
 * The simulators of the scale benchmark in their own process (so the bridges' figures are the
 * bridges'): OFN with one user, enterprise and N customers per shop, Mailchimp with one account and
 * audience per shop. Driven by JSON lines on stdin, one answer line per command on stdout:
 *   {"cmd":"seed","shops":S,"customers":N}  -> {"ofn","mailchimp","shops":[{ofnApiKey,enterpriseId,mailchimpKey,listId}]}
 *   {"cmd":"latency","ms":L}                -> {"latencyMs":L}
 *   {"cmd":"open","urls":[...]}             -> {"deliveries":n}   one order cycle per shop, webhook to urls[i]
 *   {"cmd":"flush"}                         -> {"done":n,"gaveUp":n}  once every delivery got 2xx or gave up
 *   {"cmd":"reset"}                         -> {}   forgets the requests (and CPU) counted so far: seeding's
 *   {"cmd":"counts"}                        -> requests, campaigns and audiences (see `counts`)
 */
import { createInterface } from "node:readline";
import { listen } from "../../src/sandbox/controls.js";
import { createMailchimpSimulator } from "../../src/sandbox/mailchimp.js";
import { createOfnSimulator } from "../../src/sandbox/ofn.js";
import { generateCustomers } from "../../src/sandbox/seed.js";

interface SeededShop {
  ofnApiKey: string;
  enterpriseId: number;
  mailchimpKey: string;
  listId: string;
  customers: number;
}

const ofn = createOfnSimulator({ webhookTimeScale: 0.001 });
const mailchimp = createMailchimpSimulator();
// Every request is counted: the log must not roll over during a run.
ofn.controls.maxLog = Number.MAX_SAFE_INTEGER;
mailchimp.controls.maxLog = Number.MAX_SAFE_INTEGER;
const shops: SeededShop[] = [];
let cpuAtReset = process.cpuUsage();
const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function seed(count: number, customers: number) {
  const ofnServer = await listen(ofn.app);
  ofn.setPublicUrl(ofnServer.url);
  const mailchimpServer = await listen(mailchimp.app);
  for (let i = 0; i < count; i++) {
    const enterpriseId = i + 1;
    const ofnApiKey = (i + 1).toString(16).padStart(48, "0");
    ofn.addUser({
      apiKey: ofnApiKey,
      enterprises: [{ id: enterpriseId, name: `Ferme ${enterpriseId}`, permalink: `ferme-${enterpriseId}` }],
    });
    const [first] = ofn.addCustomers(enterpriseId, generateCustomers(enterpriseId, customers, { seed: 3 }));
    const mailchimpKey = `${(i + 1).toString(16).padStart(32, "0")}-us21`;
    mailchimp.addAccount({
      apiKey: mailchimpKey,
      label: `shop-${i}`,
      fromEmailVerified: ["shop@example.org"],
    });
    const listId = mailchimp.addList(mailchimpKey, { name: `Clients ${enterpriseId}` }).id;
    // One customer already subscribed: a campaign needs a recipient even before the first sync.
    if (first) mailchimp.addMember(mailchimpKey, listId, { email: first.email, status: "subscribed" });
    shops.push({ ofnApiKey, enterpriseId, mailchimpKey, listId, customers });
  }
  reply({ ofn: ofnServer.url, mailchimp: `${mailchimpServer.url}/3.0`, shops });
}

function open(urls: string[]) {
  let deliveries = 0;
  shops.forEach((shop, i) => {
    ofn.setWebhookEndpoint(shop.ofnApiKey, urls[i]!);
    deliveries += ofn.openOrderCycle({ name: `Semaine ${i}`, coordinatorId: shop.enterpriseId }).deliveries
      .length;
  });
  reply({ deliveries });
}

function counts() {
  const sendsByPath = new Map<string, number>();
  for (const r of mailchimp.controls.requests) {
    if (r.method === "POST" && r.path.endsWith("/actions/send")) {
      sendsByPath.set(r.path, (sendsByPath.get(r.path) ?? 0) + 1);
    }
  }
  let campaigns = 0;
  let sent = 0;
  let shopsWithOneSentCampaign = 0;
  let sendRequests = 0;
  let audiencesExact = 0;
  let members = 0;
  for (const shop of shops) {
    const account = mailchimp.account(shop.mailchimpKey);
    const all = [...account.campaigns.values()];
    campaigns += all.length;
    sent += all.filter((c) => c.status === "sent").length;
    const sends = all.map((c) => sendsByPath.get(`/campaigns/${c.id}/actions/send`) ?? 0);
    sendRequests += sends.reduce((a, b) => a + b, 0);
    if (all.length === 1 && all[0]!.status === "sent" && sends[0] === 1) shopsWithOneSentCampaign += 1;
    const list = account.lists.get(shop.listId);
    const size = list?.members.size ?? 0;
    members += size;
    const expected = new Set(ofn.customers(shop.enterpriseId).map((c) => c.email));
    if (size === expected.size && [...(list?.members.values() ?? [])].every((m) => expected.has(m.email))) {
      audiencesExact += 1;
    }
  }
  reply({
    ofnRequests: ofn.controls.countRequests({ pathPrefix: "/api/" }),
    mailchimpRequests: mailchimp.controls.requests.length,
    mailchimpBatches: mailchimp.controls.countRequests({ method: "POST", pathPrefix: "/batches" }),
    campaigns,
    sent,
    sendRequests,
    shopsWithOneSentCampaign,
    audiencesExact,
    members,
    webhooksDelivered: ofn.deliveries.filter((d) => d.done).length,
    simsRssMb: Math.round(process.memoryUsage().rss / 1_048_576),
    simsCpuSeconds: (() => {
      const used = process.cpuUsage(cpuAtReset);
      return Math.round((used.user + used.system) / 100_000) / 10;
    })(),
  });
}

// The benchmark closed our stdin (it ended, or died): end too rather than linger.
createInterface({ input: process.stdin })
  .on("close", () => process.exit(0))
  .on("line", (line) => {
    const command = JSON.parse(line) as {
      cmd: string;
      shops?: number;
      customers?: number;
      ms?: number;
      urls?: string[];
    };
    if (command.cmd === "seed") void seed(command.shops ?? 1, command.customers ?? 1);
    else if (command.cmd === "latency") {
      for (const controls of [ofn.controls, mailchimp.controls]) controls.latencyMs = command.ms ?? 0;
      reply({ latencyMs: command.ms ?? 0 });
    } else if (command.cmd === "open") open(command.urls ?? []);
    else if (command.cmd === "flush") {
      void ofn.flushWebhooks({ includeRetries: true }).then(() =>
        reply({
          done: ofn.deliveries.filter((d) => d.done).length,
          gaveUp: ofn.deliveries.filter((d) => d.gaveUp).length,
        }),
      );
    } else if (command.cmd === "reset") {
      for (const controls of [ofn.controls, mailchimp.controls]) controls.requests = [];
      cpuAtReset = process.cpuUsage();
      reply({});
    } else if (command.cmd === "counts") counts();
    else if (command.cmd === "exit") process.exit(0);
  });
