import { Parser, type ReadEntry } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMailchimpSimulator, startMailchimpSimulator } from "../../src/sandbox/mailchimp.js";
import { expectContract, type SdkClient, sdkFailure, seedShop } from "./mailchimp-sdk.js";

let running: RunningMailchimpSimulator;
beforeAll(async () => {
  running = await startMailchimpSimulator();
});
afterAll(async () => {
  await running.close();
});

const VERIFIED = "news@greengrocer.org";

/** A shop with three subscribed customers (two tagged) and one unsubscribed. */
function shopWithAudience(opts: { canSchedule?: boolean } = {}) {
  const shop = seedShop(running.sim, running.basePath, { fromEmailVerified: ["greengrocer.org"], ...opts });
  const add = (email: string, status: "subscribed" | "unsubscribed", tags: string[] = []) =>
    running.sim.addMember(shop.key, shop.listId, { email, status, tags });
  add("ann@farm.org", "subscribed", ["Hub A"]);
  add("bob@farm.org", "subscribed", ["Hub A"]);
  add("cat@farm.org", "subscribed");
  add("dan@farm.org", "unsubscribed", ["Hub A"]);
  return shop;
}

async function draft(client: SdkClient, listId: string, settings: Record<string, unknown> = {}) {
  const campaign = await client.campaigns.create({
    type: "regular",
    recipients: { list_id: listId },
    settings: {
      subject_line: "Order cycle open",
      preview_text: "Fresh veg this week",
      title: "OC 12 – Green Grocer",
      from_name: "Green Grocer",
      reply_to: VERIFIED,
      ...settings,
    },
  });
  await client.campaigns.setContent(campaign.id, { html: "<p>Shop now</p><p>*|UNSUB|*</p>" });
  return campaign;
}

/** Quarter hours from now, in UTC, as Mailchimp wants them. */
function quarterHourAhead(hours: number): Date {
  const at = new Date(Date.now() + hours * 3_600_000);
  at.setUTCMinutes(Math.ceil(at.getUTCMinutes() / 15) * 15, 0, 0);
  return at;
}

describe("campaigns", () => {
  it("checks the sender, sends once to subscribed members and refuses a second send", async () => {
    const { client, key, listId } = shopWithAudience();
    const campaign = await client.campaigns.create({
      type: "regular",
      recipients: { list_id: listId },
      settings: {
        subject_line: "Order cycle open",
        title: "OC 12",
        from_name: "Green Grocer",
        reply_to: "me@gmail.com",
      },
    });
    expectContract("POST", "/campaigns", 200, campaign);
    expect(campaign.status).toBe("save");
    const content = await client.campaigns.setContent(campaign.id, { html: "<p>Fresh veg</p>" });
    expectContract("PUT", "/campaigns/{campaignId}/content", 200, content);

    const blocked = await client.campaigns.getSendChecklist(campaign.id);
    expectContract("GET", "/campaigns/{campaignId}/send-checklist", 200, blocked);
    expect(blocked.is_ready).toBe(false);
    const senderError = blocked.items.find((i: { type: string; heading: string }) => i.type === "error");
    expect(senderError.details).toContain("From email must be verified");
    const notReady = await sdkFailure(client.campaigns.send(campaign.id));
    expect([notReady.status, notReady.body.detail]).toEqual([400, "Your Campaign is not ready to send."]);
    expectContract("POST", "/campaigns/{campaignId}/actions/send", 400, notReady.body);

    await client.campaigns.update(campaign.id, { settings: { reply_to: VERIFIED } });
    expect((await client.campaigns.getSendChecklist(campaign.id)).is_ready).toBe(true);
    expect(await client.campaigns.send(campaign.id)).toBeNull();

    const sent = await client.campaigns.get(campaign.id);
    expectContract("GET", "/campaigns/{campaignId}", 200, sent);
    expect([sent.status, sent.emails_sent]).toEqual(["sent", 3]);
    expect(running.sim.account(key).campaigns.get(campaign.id)?.sentTo.sort()).toEqual([
      "ann@farm.org",
      "bob@farm.org",
      "cat@farm.org",
    ]);
    const again = await sdkFailure(client.campaigns.send(campaign.id));
    expect(again.status).toBe(400);
    expect(running.sim.account(key).campaigns.get(campaign.id)?.emailsSent).toBe(3);
  });

  it("targets a tag through segment_opts and reports an empty audience", async () => {
    const { client, key, listId } = shopWithAudience();
    const hubA = [...running.sim.account(key).lists.get(listId)!.segments.values()].find(
      (s) => s.name === "Hub A",
    );
    const campaign = await draft(client, listId);
    await client.campaigns.update(campaign.id, {
      recipients: { list_id: listId, segment_opts: { saved_segment_id: hubA!.id } },
    });
    await client.campaigns.send(campaign.id);
    expect(running.sim.account(key).campaigns.get(campaign.id)?.sentTo.sort()).toEqual([
      "ann@farm.org",
      "bob@farm.org",
    ]);

    const empty = seedShop(running.sim, running.basePath, { fromEmailVerified: [VERIFIED] });
    const lonely = await draft(empty.client, empty.listId);
    const checklist = await empty.client.campaigns.getSendChecklist(lonely.id);
    expect(checklist.items).toContainEqual(expect.objectContaining({ type: "error", heading: "Recipients" }));
  });

  it("schedules only on the quarter hour, in the future, on paid plans", async () => {
    const { client, listId } = shopWithAudience();
    const campaign = await draft(client, listId);
    const offGrid = new Date(quarterHourAhead(2).getTime() + 7 * 60_000);
    const refused = await sdkFailure(
      client.campaigns.schedule(campaign.id, { schedule_time: offGrid.toISOString() }),
    );
    expect([refused.status, refused.body.title]).toEqual([400, "Invalid Resource"]);
    expect(refused.body.detail).toContain("quarter-hour");
    const past = await sdkFailure(
      client.campaigns.schedule(campaign.id, { schedule_time: "2020-01-01T10:00:00Z" }),
    );
    expect(past.status).toBe(400);

    const at = quarterHourAhead(2);
    expect(await client.campaigns.schedule(campaign.id, { schedule_time: at.toISOString() })).toBeNull();
    const scheduled = await client.campaigns.get(campaign.id);
    expect(scheduled.status).toBe("schedule");
    expect(Date.parse(scheduled.send_time)).toBe(at.getTime());
    await client.campaigns.unschedule(campaign.id);
    expect((await client.campaigns.get(campaign.id)).status).toBe("save");

    const free = shopWithAudience({ canSchedule: false });
    const freeCampaign = await draft(free.client, free.listId);
    const forbidden = await sdkFailure(
      free.client.campaigns.schedule(freeCampaign.id, { schedule_time: at.toISOString() }),
    );
    expect(forbidden.status).toBe(403);
  });

  it("replicates a campaign, records test mails and filters the list by status", async () => {
    const { client, key, listId } = shopWithAudience();
    const original = await draft(client, listId);
    await client.campaigns.sendTestEmail(original.id, {
      test_emails: ["owner@greengrocer.org"],
      send_type: "html",
    });
    expect(running.sim.account(key).campaigns.get(original.id)?.testSends[0]?.emails).toEqual([
      "owner@greengrocer.org",
    ]);
    await client.campaigns.send(original.id);

    const copy = await client.campaigns.replicate(original.id);
    expectContract("POST", "/campaigns/{campaignId}/actions/replicate", 200, copy);
    expect(copy.id).not.toBe(original.id);
    expect(copy.status).toBe("save");
    expect((await client.campaigns.getContent(copy.id)).html).toContain("Shop now");
    const drafts = await client.campaigns.list({ status: "save" });
    expect(drafts.campaigns.map((c: { id: string }) => c.id)).toEqual([copy.id]);
    expectContract("GET", "/campaigns", 200, drafts);
  });

  it("fills a template's mc:edit sections", async () => {
    const { client, key, listId } = shopWithAudience();
    const template = await client.templates.create({
      name: "Order cycle",
      html: '<html><body><div mc:edit="intro">Default intro</div>*|UNSUB|*</body></html>',
    });
    expectContract("POST", "/templates", 200, template);
    const campaign = await draft(client, listId);
    await client.campaigns.setContent(campaign.id, {
      template: { id: template.id, sections: { intro: "<h1>Open now</h1>" } },
    });
    const stored = running.sim.account(key).campaigns.get(campaign.id);
    expect(stored?.content?.html).toContain('<div mc:edit="intro"><h1>Open now</h1></div>');
    const badId = await sdkFailure(
      client.campaigns.setContent(campaign.id, { template: { id: String(template.id) } }),
    );
    expect(badId.status).toBe(400);
  });
});

async function untar(gz: Buffer): Promise<Array<{ path: string; type: string; text: string }>> {
  const entries: Array<{ path: string; type: string; text: string }> = [];
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        const chunks: Buffer[] = [];
        entry.on("data", (chunk: Buffer) => chunks.push(chunk));
        entry.on("end", () =>
          entries.push({ path: entry.path, type: entry.type, text: Buffer.concat(chunks).toString() }),
        );
      },
    });
    parser.on("end", () => resolve());
    parser.on("error", reject);
    parser.end(gz);
  });
  return entries;
}

describe("batch operations", () => {
  it("runs operations in the background and packs results in a tar.gz", async () => {
    const { client, key, label, listId } = shopWithAudience();
    const started = await client.batches.start({
      operations: [
        {
          method: "PUT",
          path: `/lists/${listId}/members/eve@farm.org`,
          operation_id: "shop:1:cust:5",
          body: JSON.stringify({ email_address: "eve@farm.org", status_if_new: "transactional" }),
        },
        {
          method: "PUT",
          path: `/lists/${listId}/members/dan@farm.org`,
          operation_id: "shop:1:cust:6",
          body: JSON.stringify({ email_address: "dan@farm.org", status: "subscribed" }),
        },
        { method: "GET", path: `/lists/${listId}/members`, operation_id: "read", params: { count: 1 } },
      ],
    });
    expectContract("POST", "/batches", 200, started);
    expect(started.status).toBe("pending");

    let batch = started;
    for (let i = 0; i < 50 && batch.status !== "finished"; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      batch = await client.batches.status(started.id);
    }
    expectContract("GET", "/batches/{batchId}", 200, batch);
    expect([batch.status, batch.finished_operations, batch.errored_operations]).toEqual(["finished", 3, 1]);
    expect(running.sim.member(key, listId, "eve@farm.org")?.status).toBe("transactional");

    const download = await fetch(batch.response_body_url);
    const entries = await untar(Buffer.from(await download.arrayBuffer()));
    expect(entries[0]).toMatchObject({ path: "./", type: "Directory" });
    const results = entries
      .filter((e) => e.path.endsWith(".json"))
      .flatMap(
        (e) => JSON.parse(e.text) as Array<{ status_code: number; operation_id: string; response: string }>,
      );
    const byId = Object.fromEntries(results.map((r) => [r.operation_id, r]));
    expect(byId["shop:1:cust:5"]?.status_code).toBe(200);
    expect(byId["shop:1:cust:6"]?.status_code).toBe(400);
    expect(JSON.parse(byId["shop:1:cust:6"]!.response).title).toBe("Member In Compliance State");
    expect(JSON.parse(byId.read!.response).members).toHaveLength(1);
    expect((await client.batches.list()).total_items).toBe(1);
    // Batch operations run inside Mailchimp: they never show up as client requests.
    expect(running.sim.controls.countRequests({ account: label, pathPrefix: "/lists" })).toBe(0);
  });
});
