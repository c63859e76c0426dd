import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsentMode } from "../../src/providers/types.js";
import { contact, type Harness, memberWrites, seedShop, startHarness, write } from "./mailchimp-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const byEmail = <T extends { email: string }>(outcomes: T[]) =>
  Object.fromEntries(outcomes.map((o) => [o.email, o]));

/** The consent invariant, checked on the wire: no member write for this audience carried `status`. */
function expectNoStatusSent(listId: string): void {
  const writes = memberWrites(h).filter((w) => w.path.startsWith(`/lists/${listId}/`));
  expect(writes.length).toBeGreaterThan(0);
  for (const w of writes) {
    expect(w.method).toBe("PUT");
    expect(Object.keys(w.body)).not.toContain("status");
    expect(w.body.status_if_new).toMatch(/^(subscribed|pending|transactional)$/);
  }
}

describe("prepareFields", () => {
  it("creates OFNCODE, keeps the defaults and warns about a required field it cannot fill", async () => {
    const shop = seedShop(h, {
      mergeFields: [
        { tag: "FNAME", name: "First Name", type: "text" },
        { tag: "LNAME", name: "Last Name", type: "text" },
        { tag: "ADDRESS", name: "Address", type: "address" },
        { tag: "PHONE", name: "Phone Number", type: "phone" },
        { tag: "SHOESIZE", name: "Shoe size", type: "text", required: true },
      ],
    });
    const fields = await shop.provider.prepareFields(shop.listId);
    const list = h.sim.account(shop.key).lists.get(shop.listId)!;
    expect(list.mergeFields.map((f) => [f.tag, f.type])).toContainEqual(["OFNCODE", "text"]);
    expect([...fields.available].sort()).toEqual(
      ["address", "code", "email", "firstName", "lastName", "phone", "tags"].sort(),
    );
    expect(fields.warnings).toHaveLength(1);
    expect(fields.warnings[0]).toContain('"Shoe size" (SHOESIZE) is required');
    // A second run finds everything in place and creates nothing.
    const creations = h.sent.filter((r) => r.method === "POST" && r.path.endsWith("/merge-fields")).length;
    await shop.provider.prepareFields(shop.listId);
    expect(h.sent.filter((r) => r.method === "POST" && r.path.endsWith("/merge-fields")).length).toBe(
      creations,
    );

    // The required field does not stop new contacts (skip_merge_validation).
    const outcomes = await shop.provider.writeContacts(
      [contact("new@farm.org", { firstName: "Nia" })],
      fields,
      {
        audienceId: shop.listId,
        consent: "subscribed",
      },
    );
    expect(outcomes).toEqual([{ email: "new@farm.org", ok: true, status: "subscribed" }]);
  });

  it("creates missing default fields and will not write addresses into a text ADDRESS", async () => {
    const shop = seedShop(h, { mergeFields: [{ tag: "ADDRESS", name: "Address", type: "text" }] });
    const fields = await shop.provider.prepareFields(shop.listId);
    const tags = h.sim
      .account(shop.key)
      .lists.get(shop.listId)!
      .mergeFields.map((f) => f.tag);
    expect(tags.sort()).toEqual(["ADDRESS", "FNAME", "LNAME", "OFNCODE", "PHONE"]);
    expect(fields.available.has("address")).toBe(false);
    expect(fields.warnings).toEqual([expect.stringContaining('ADDRESS is a "text" field')]);
  });
});

describe("writeContacts: consent", () => {
  it("gives new members the status of the shop's consent mode", async () => {
    const shop = seedShop(h);
    const modes: Array<[ConsentMode, string]> = [
      ["subscribed", "subscribed"],
      ["double_opt_in", "pending"],
      ["non_marketing", "transactional"],
    ];
    for (const [mode, status] of modes) {
      const email = `${mode}@farm.org`;
      expect(await write(shop, [contact(email)], mode)).toEqual([{ email, ok: true, status }]);
      expect(h.sim.member(shop.key, shop.listId, email)?.status).toBe(status);
    }
    expectNoStatusSent(shop.listId);
  });

  it("makes 'subscribed' pending on a double opt-in audience", async () => {
    const shop = seedShop(h, { doubleOptin: true });
    expect(await write(shop, [contact("doi@farm.org")], "subscribed")).toEqual([
      { email: "doi@farm.org", ok: true, status: "pending" },
    ]);
    expect(h.sim.member(shop.key, shop.listId, "doi@farm.org")?.status).toBe("pending");
  });

  it("leaves unsubscribed and cleaned members as they are while updating their data", async () => {
    const shop = seedShop(h);
    h.sim.addMember(shop.key, shop.listId, { email: "out@farm.org", status: "unsubscribed" });
    h.sim.addMember(shop.key, shop.listId, { email: "bounced@farm.org", status: "cleaned" });
    h.sim.addMember(shop.key, shop.listId, { email: "later@farm.org", status: "pending" });
    for (const mode of ["subscribed", "double_opt_in", "non_marketing"] as const) {
      const outcomes = byEmail(
        await write(
          shop,
          ["out@farm.org", "bounced@farm.org", "later@farm.org"].map((email) =>
            contact(email, { firstName: `Name ${mode}`, tags: ["Hub A"] }),
          ),
          mode,
        ),
      );
      expect(outcomes["out@farm.org"]).toEqual({ email: "out@farm.org", ok: true, status: "unsubscribed" });
      expect(outcomes["bounced@farm.org"]).toEqual({
        email: "bounced@farm.org",
        ok: true,
        status: "cleaned",
      });
      expect(outcomes["later@farm.org"]).toEqual({ email: "later@farm.org", ok: true, status: "pending" });
    }
    expect(h.sim.member(shop.key, shop.listId, "out@farm.org")).toMatchObject({
      status: "unsubscribed",
      mergeFields: { FNAME: "Name non_marketing" },
    });
    expect(h.sim.member(shop.key, shop.listId, "bounced@farm.org")?.status).toBe("cleaned");
    expect(h.sim.member(shop.key, shop.listId, "later@farm.org")?.status).toBe("pending");
    expectNoStatusSent(shop.listId);
  });

  it("keeps a member unsubscribed who unsubscribed between two writes", async () => {
    const shop = seedShop(h);
    expect((await write(shop, [contact("ann@farm.org", { firstName: "Ann" })]))[0]?.status).toBe(
      "subscribed",
    );
    h.sim.setMemberStatus(shop.key, shop.listId, "ann@farm.org", "unsubscribed");
    const again = await write(shop, [contact("ann@farm.org", { firstName: "Annie", code: "C7" })]);
    expect(again).toEqual([{ email: "ann@farm.org", ok: true, status: "unsubscribed" }]);
    expect(h.sim.member(shop.key, shop.listId, "ann@farm.org")).toMatchObject({
      status: "unsubscribed",
      mergeFields: { FNAME: "Annie", OFNCODE: "C7" },
    });
    expectNoStatusSent(shop.listId);
  });

  it("reports forgotten and fake addresses as permanent, and still writes the others", async () => {
    const shop = seedShop(h);
    h.sim.addMember(shop.key, shop.listId, { email: "erased@farm.org", status: "subscribed" });
    h.sim.forgetMember(shop.key, shop.listId, "erased@farm.org");
    const outcomes = byEmail(
      await write(shop, [
        contact("erased@farm.org", { tags: ["Hub A"] }),
        contact("deleted@site.invalid"),
        contact("fine@farm.org"),
      ]),
    );
    expect(outcomes["erased@farm.org"]).toMatchObject({ ok: false, permanent: true });
    expect(outcomes["erased@farm.org"]?.error).toContain("Forgotten Email Not Subscribed");
    expect(outcomes["deleted@site.invalid"]).toMatchObject({ ok: false, permanent: true });
    expect(outcomes["deleted@site.invalid"]?.error).toContain("looks fake or invalid");
    expect(outcomes["fine@farm.org"]).toEqual({ email: "fine@farm.org", ok: true, status: "subscribed" });
  });
});

describe("writeContacts: data and tags", () => {
  it("sends complete addresses only, never null, and never wipes with an empty value", async () => {
    const shop = seedShop(h);
    h.sim.addMember(shop.key, shop.listId, {
      email: "kept@farm.org",
      status: "subscribed",
      mergeFields: { PHONE: "+33 6 12 34 56 78", LNAME: "Keep" },
    });
    const address = { addr1: "1 Lane", addr2: "", city: "Lyon", state: "Rhône", zip: "69001", country: "fr" };
    const outcomes = await write(shop, [
      contact("kept@farm.org", { firstName: "Kim" }),
      contact("full@farm.org", { address, phone: "+33 4 00 00 00 00", code: "A1,B2" }),
      contact("partial@farm.org", { address: { ...address, zip: "" } }),
    ]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(h.sim.member(shop.key, shop.listId, "kept@farm.org")?.mergeFields).toEqual({
      PHONE: "+33 6 12 34 56 78",
      LNAME: "Keep",
      FNAME: "Kim",
    });
    expect(h.sim.member(shop.key, shop.listId, "full@farm.org")?.mergeFields).toEqual({
      ADDRESS: { ...address, country: "FR" },
      PHONE: "+33 4 00 00 00 00",
      OFNCODE: "A1,B2",
    });
    expect(h.sim.member(shop.key, shop.listId, "partial@farm.org")?.mergeFields).toEqual({});
    const bodies = memberWrites(h).filter((w) => w.path.startsWith(`/lists/${shop.listId}/`));
    expect(JSON.stringify(bodies)).not.toContain("null");
  });

  it("adds and removes tags, and untags a departed customer without re-creating them", async () => {
    const shop = seedShop(h);
    await write(shop, [contact("tag@farm.org", { tags: ["Hub A", "Veg box"] })]);
    expect(h.sim.memberTags(shop.key, shop.listId, "tag@farm.org").sort()).toEqual(["Hub A", "Veg box"]);
    const outcomes = await write(shop, [
      contact("tag@farm.org", { tags: ["Hub A"], removeTags: ["Veg box"] }),
      contact("gone@farm.org", { removeTags: ["Hub A"] }),
    ]);
    expect(byEmail(outcomes)).toEqual({
      "tag@farm.org": { email: "tag@farm.org", ok: true, status: "subscribed" },
      "gone@farm.org": { email: "gone@farm.org", ok: true },
    });
    expect(h.sim.memberTags(shop.key, shop.listId, "tag@farm.org")).toEqual(["Hub A"]);
    expect(h.sim.member(shop.key, shop.listId, "gone@farm.org")).toBeUndefined();
    const tagWrites = h.sent
      .filter((r) => r.path === "/batches")
      .flatMap(
        (r) => (JSON.parse(r.body) as { operations: Array<{ path: string; body: string }> }).operations,
      )
      .filter((op) => op.path.startsWith(`/lists/${shop.listId}/`) && op.path.endsWith("/tags"));
    expect(tagWrites.map((op) => JSON.parse(op.body).is_syncing)).toEqual([true, true, true]);
  });

  it("formats numbers for a US phone field and leaves out the ones that do not fit", async () => {
    const shop = seedShop(h);
    h.sim
      .account(shop.key)
      .lists.get(shop.listId)!
      .mergeFields.find((f) => f.tag === "PHONE")!.options = {
      phone_format: "US",
    };
    await write(shop, [
      contact("us@farm.org", { phone: "+1 415 555 0100" }),
      contact("fr@farm.org", { phone: "06 12" }),
    ]);
    expect(h.sim.member(shop.key, shop.listId, "us@farm.org")?.mergeFields.PHONE).toBe("(415) 555-0100");
    expect(h.sim.member(shop.key, shop.listId, "fr@farm.org")?.mergeFields.PHONE).toBeUndefined();
  });
});
