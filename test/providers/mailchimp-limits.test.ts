import { createRequire } from "node:module";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/errors.js";
import {
  contact,
  type Harness,
  providerFor,
  runLikeTheSync,
  type Shop,
  seedShop,
  startHarness,
  write,
} from "./mailchimp-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.sim.controls.latencyMs = 0;
  h.sim.controls.faults = [];
});

describe("writeContacts: accounts, volume and limits", () => {
  it("keeps two accounts apart when they write at the same time, without the SDK singleton", async () => {
    const a = seedShop(h);
    const b = seedShop(h);
    const many = (prefix: string) => Array.from({ length: 40 }, (_, i) => contact(`${prefix}${i}@farm.org`));
    const [outA, outB] = await Promise.all([write(a, many("a")), write(b, many("b"))]);
    expect(outA.every((o) => o.ok) && outB.every((o) => o.ok)).toBe(true);
    const emails = (shop: Shop) =>
      [...h.sim.account(shop.key).lists.get(shop.listId)!.members.values()].map((m) => m.email);
    expect(emails(a).every((e) => e.startsWith("a"))).toBe(true);
    expect(emails(b).every((e) => e.startsWith("b"))).toBe(true);
    expect([emails(a).length, emails(b).length]).toEqual([40, 40]);
    const singleton = createRequire(import.meta.url)("@mailchimp/mailchimp_marketing") as { config: object };
    expect(singleton.config).toEqual({ apiKey: "", accessToken: "", server: "invalid-server" });
  });

  it("writes 1,000 contacts with exactly two POST /batches, one per 500", async () => {
    const shop = seedShop(h);
    const contacts = Array.from({ length: 1000 }, (_, i) =>
      contact(`c${i}@farm.org`, { firstName: `C${i}`, tags: ["OFN"] }),
    );
    const fields = await shop.provider.prepareFields(shop.listId);
    const chunks = await runLikeTheSync(shop.provider, contacts, fields, shop.listId);
    expect(chunks.flat().filter((o) => o.ok)).toHaveLength(1000);
    expect(shop.provider.writeChunkSize).toBe(500);
    expect(
      h.sim.controls.countRequests({ method: "POST", pathPrefix: "/batches", account: shop.label }),
    ).toBe(2);
    expect(h.sim.controls.countRequests({ method: "PUT", account: shop.label })).toBe(0);
    expect(h.sim.account(shop.key).lists.get(shop.listId)!.members.size).toBe(1000);
    expect(h.sim.memberTags(shop.key, shop.listId, "c999@farm.org")).toEqual(["OFN"]);
  });

  it("never has more than four requests in flight per key, even with twelve chunks at once", async () => {
    const shop = seedShop(h);
    const fields = await shop.provider.prepareFields(shop.listId);
    h.sim.controls.latencyMs = 20;
    const chunks = Array.from({ length: 12 }, (_, c) =>
      Array.from({ length: 10 }, (_, i) => contact(`p${c}-${i}@farm.org`)),
    );
    const outcomes = await Promise.all(
      chunks.map((chunk) =>
        shop.provider.writeContacts(chunk, fields, { audienceId: shop.listId, consent: "non_marketing" }),
      ),
    );
    expect(outcomes.flat().filter((o) => o.ok)).toHaveLength(120);
    expect(h.sim.account(shop.key).peakInFlight).toBe(4);
  });

  it("fails the chunk, retryable, when the batch does not finish in time", async () => {
    const shop = seedShop(h);
    const provider = providerFor(h, shop.key, { batchTimeoutMs: 300 });
    const fields = await provider.prepareFields(shop.listId);
    h.sim.controls.addFault({
      method: "GET",
      pathPrefix: "/batches/",
      status: 200,
      body: { id: "stuck", status: "started" },
      remaining: 100,
    });
    const error = await provider
      .writeContacts([contact("slow@farm.org")], fields, { audienceId: shop.listId, consent: "subscribed" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).retryable).toBe(true);
    expect(
      h.sim.controls.countRequests({ method: "DELETE", pathPrefix: "/batches/", account: shop.label }),
    ).toBe(1);
  });

  it("repeats POST /batches only when Mailchimp refused it, never after a 5xx", async () => {
    const shop = seedShop(h);
    const fields = await shop.provider.prepareFields(shop.listId);
    const post = () => h.sim.controls.countRequests({ method: "POST", pathPrefix: "/batches" });
    const options = { audienceId: shop.listId, consent: "subscribed" as const };

    h.sim.controls.addFault({
      method: "POST",
      pathPrefix: "/batches",
      status: 429,
      body: null,
      remaining: 1,
    });
    let before = post();
    expect(await shop.provider.writeContacts([contact("r1@farm.org")], fields, options)).toMatchObject([
      { ok: true },
    ]);
    expect(post() - before).toBe(2);

    h.sim.controls.addFault({
      method: "POST",
      pathPrefix: "/batches",
      status: 502,
      body: null,
      remaining: 1,
    });
    before = post();
    const error = await shop.provider
      .writeContacts([contact("r2@farm.org")], fields, options)
      .catch((e: unknown) => e);
    expect((error as UpstreamError).retryable).toBe(true);
    expect(post() - before).toBe(1);
  });
});
