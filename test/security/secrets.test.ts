/**
 * Secrets never leave in clear (DESIGN.md invariant 5). A whole life of two shops runs through the
 * real pages and the simulators: wrong keys pasted first (OFN echoes a refused key in its 401
 * body), setup with Mailchimp and with Brevo, a sync, a webhook turned into a sent campaign, the
 * dashboard, the admin and the JSON API. Then every log line, every response (bodies and headers)
 * and every column of every table is searched for each key in clear, in upper case, and inside
 * the base64 of the Basic header Mailchimp's SDK sends.
 */

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignDeps } from "../../src/campaigns/executor-types.js";
import { queryRows } from "../../src/db/client.js";
import { runOneCampaign } from "../../src/jobs/campaign-worker.js";
import { runSyncRunNow } from "../../src/jobs/sync-worker.js";
import { brevoTestKey } from "../../src/sandbox/brevo.js";
import { ADMIN_TOKEN, Browser, signInAdmin } from "../admin/support.js";
import { nextCycleId, openedBody } from "../campaigns/support.js";
import { Client, createWebWorld, hex, setUpThroughPages, type WebWorld } from "../web/harness.js";

let world: WebWorld;
/** Every response the app gave during the flow: status line, headers and body. */
const responses: Array<{ what: string; text: string }> = [];

beforeAll(async () => {
  world = await createWebWorld({ ADMIN_TOKEN });
  const app = world.t.app;
  const original = app.request.bind(app);
  app.request = (async (...args: Parameters<typeof original>) => {
    const res = await original(...args);
    const copy = res.clone();
    const headers = [...copy.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
    responses.push({
      what: `${args[1]?.method ?? "GET"} ${String(args[0])}`,
      text: `${headers}\n\n${await copy.text()}`,
    });
    return res;
  }) as typeof app.request;
}, 60_000);
afterAll(() => world.close());

/** The forms a secret can take on its way out. */
function shapesOf(secret: string): string[] {
  return [
    secret,
    secret.toUpperCase(),
    Buffer.from(secret).toString("base64"),
    // Mailchimp's SDK authenticates with Basic "user:<key>".
    Buffer.from(`user:${secret}`).toString("base64"),
    Buffer.from(`anystring:${secret}`).toString("base64"),
    encodeURIComponent(secret),
  ];
}

function findIn(haystack: string, secrets: Map<string, string>): string[] {
  const lower = haystack.toLowerCase();
  const found: string[] = [];
  for (const [label, secret] of secrets) {
    for (const shape of shapesOf(secret)) {
      const hit = /^[0-9a-f-]+$/i.test(shape)
        ? lower.includes(shape.toLowerCase())
        : haystack.includes(shape);
      if (hit) found.push(`${label} as ${shape === secret ? "clear text" : shape.slice(0, 12)}…`);
    }
  }
  return found;
}

describe("secrets through a whole flow", () => {
  it("appear in no log line, no response and no database column", async () => {
    const secrets = new Map<string, string>([["ADMIN_TOKEN", ADMIN_TOKEN]]);

    // Wrong keys first: OFN echoes a refused key in its 401 body, Mailchimp and Brevo refuse theirs.
    const stranger = new Client(world);
    const wrongOfn = hex(48);
    secrets.set("a refused OFN key", wrongOfn);
    const keyForm = await stranger.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    expect(
      (await stranger.post("/setup/key", { instance: world.ofnUrl, ofn_key: wrongOfn }, { from: keyForm }))
        .status,
    ).toBe(400);

    const mc = await setUpThroughPages(world, { provider: "mailchimp" });
    const brevo = await setUpThroughPages(world, { provider: "brevo" });
    secrets.set("OFN key (Mailchimp shop)", mc.seeded.ofnKey);
    secrets.set("OFN key (Brevo shop)", brevo.seeded.ofnKey);
    secrets.set("Mailchimp key", mc.providerKey);
    secrets.set("Brevo key", brevo.providerKey);
    const wrongMailchimp = `${hex(32)}-us21`;
    const wrongBrevo = brevoTestKey(`wrong-${hex(6)}`);
    secrets.set("a refused Mailchimp key", wrongMailchimp);
    secrets.set("a refused Brevo key", wrongBrevo);
    for (const [shop, provider, key] of [
      [mc, "mailchimp", wrongMailchimp],
      [brevo, "brevo", wrongBrevo],
    ] as const) {
      const form = await shop.client.get(`/setup/provider/key?provider=${provider}`);
      const refused = await shop.client.post(
        "/setup/provider/key",
        { provider, provider_key: key },
        { from: form },
      );
      expect(refused.status, provider).toBe(400);
    }
    // A refused replacement of the OFN key, from the dashboard.
    const replace = await mc.client.get("/dashboard/ofn-key");
    expect((await mc.client.post("/dashboard/ofn-key", { ofn_key: hex(48) }, { from: replace })).status).toBe(
      400,
    );

    for (const shop of [mc, brevo]) {
      // A sync from the dashboard, run by a worker, and its page.
      world.ofn.addCustomers(shop.seeded.enterprises[0]!.id, [
        { email: `carol-${hex(6)}@example.org`, first_name: "Carol" },
      ]);
      const queued = await shop.client.post("/dashboard/sync", {}, { from: shop.dashboard });
      const runId = queued.location!.split("/").pop()!;
      expect(await runSyncRunNow(world.t.deps.syncDeps, runId, { owner: "secrets-test" })).toBe(true);
      expect((await shop.client.get(`/dashboard/sync/${runId}`)).status).toBe(200);

      // OFN opens a cycle: the webhook, then the campaign sent by a worker.
      const token = new URL(shop.webhookUrl).pathname.split("/").pop()!;
      secrets.set(`webhook token of ${shop.seeded.listName}`, token);
      const body = openedBody({
        cycleId: nextCycleId(),
        coordinatorId: shop.seeded.enterprises[0]!.id,
        openedAt: new Date().toISOString(),
        closeAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      const hook = await world.t.app.request(new URL(shop.webhookUrl).pathname, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(hook.status).toBe(200);
      const deps: CampaignDeps = { ...world.t.deps.syncDeps, campaignRetryBaseMs: 1 };
      for (let i = 0; i < 5 && (await runOneCampaign(deps, { owner: "secrets-test" })); i++);
      for (const page of [
        "/dashboard",
        "/setup/template",
        "/setup/consent",
        "/setup/provider/key?provider=mailchimp",
        "/setup/webhook",
      ]) {
        expect((await shop.client.get(page)).status, page).toBe(200);
      }
      // The shop's own tools: its OFN key as the API's bearer token.
      const me = await world.t.app.request("/api/v1/me", {
        headers: { authorization: `Bearer ${shop.seeded.ofnKey}`, "x-ofn-instance": world.ofnUrl },
      });
      expect(me.status).toBe(200);
    }
    expect(world.mailchimp.account(mc.providerKey).campaigns.size).toBe(1);
    expect(world.brevo.account(brevo.providerKey).campaigns.size).toBe(1);

    // The operator: admin pages and the JSON API.
    const operator = new Browser(world.t.app);
    await signInAdmin(operator);
    const listed = await (
      await world.t.app.request("/api/v1/shops", { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json();
    for (const shop of (listed as { items: Array<{ id: string }> }).items) {
      expect((await operator.request(`/admin/shops/${shop.id}`)).status).toBe(200);
      await world.t.app.request(`/api/v1/shops/${shop.id}/settings`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
    }
    expect((await operator.request("/admin/audit")).status).toBe(200);

    // Logs: every line the app, the workers and the clients wrote.
    const logs = world.t.logs.lines;
    expect(logs.length).toBeGreaterThan(50);
    // The refusals were logged (without the keys), so the search below had something to search.
    expect(world.t.logs.text()).toContain("OFN key not accepted");
    const inLogs = logs.flatMap((line) =>
      findIn(line, secrets).map((hit) => `${hit} in ${line.slice(0, 200)}`),
    );
    expect(inLogs).toEqual([]);

    // Responses: the one page that shows a new webhook URL shows it once, by design; nothing else.
    expect(responses.length).toBeGreaterThan(40);
    const webhookPages = new Set<string>();
    const inResponses: string[] = [];
    for (const { what, text } of responses) {
      for (const hit of findIn(text, secrets)) {
        if (hit.startsWith("webhook token") && what.startsWith("POST /setup/webhook")) webhookPages.add(hit);
        else inResponses.push(`${hit} in ${what}`);
      }
    }
    expect(inResponses).toEqual([]);
    expect(webhookPages.size).toBe(2);

    // The database: every row of every table, as text (jsonb and arrays included).
    const tables = await queryRows<{ name: string }>(
      world.t.deps.database.db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["shops", "provider_connections", "webhook_deliveries", "audit_log"]),
    );
    const inDatabase: string[] = [];
    let rows = 0;
    for (const { name } of tables) {
      const dump = await queryRows<{ row: string }>(
        world.t.deps.database.db,
        sql`select t::text as row from ${sql.identifier(name)} t`,
      );
      rows += dump.length;
      for (const { row } of dump)
        for (const hit of findIn(row, secrets)) inDatabase.push(`${hit} in ${name}`);
    }
    expect(rows).toBeGreaterThan(30);
    expect(inDatabase).toEqual([]);
    // The check can see a secret where there is one: the sealed rows are there, only not in clear.
    expect(findIn(`x ${mc.providerKey} x`, secrets)).not.toEqual([]);
  }, 60_000);
});
