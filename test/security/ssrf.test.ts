/**
 * Server-side request forgery: the bridge sends a shop's key only where the operator allowed.
 * An OFN instance outside the allow-list (in every disguise: other port, userinfo, IP spellings,
 * other schemes) is refused by the page and no request leaves the process; a Mailchimp key whose
 * datacenter suffix would steer the SDK's hostname is refused before any request. "No request"
 * is observed, not assumed: Node's diagnostics channels report every HTTP request the process
 * starts (fetch and node:http alike), and a controlled positive case shows they would see one.
 */
import dc from "node:diagnostics_channel";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, createWebWorld, hex, seedShop, textOf, type WebWorld } from "../web/harness.js";

let ipSeq = 0;
/** Each post from its own address: the key-paste limit (10 per address) is not what is tested here. */
const fresh = () => ({ headers: { "x-forwarded-for": `203.0.113.${(ipSeq++ % 250) + 1}` } });

/** Every outgoing HTTP request of this process while `fn` runs. */
async function outgoing(fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const onFetch = (message: unknown) => {
    const { request } = message as { request: { origin: string; path: string } };
    seen.push(`fetch ${request.origin}${request.path}`);
  };
  const onHttp = (message: unknown) => {
    const { request } = message as { request: { host: string; path: string } };
    seen.push(`http ${request.host}${request.path}`);
  };
  dc.subscribe("undici:request:create", onFetch);
  dc.subscribe("http.client.request.start", onHttp);
  try {
    await fn();
  } finally {
    dc.unsubscribe("undici:request:create", onFetch);
    dc.unsubscribe("http.client.request.start", onHttp);
  }
  return seen;
}

/** A server that only counts what reaches it. */
async function evilServer(): Promise<{ url: string; port: number; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(
      `${req.method} ${req.url} ${req.headers.authorization ?? ""}${req.headers["x-api-token"] ?? ""}`,
    );
    res
      .writeHead(401, { "content-type": "application/json" })
      .end('{"title":"API Key Invalid","status":401}');
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

describe("OFN instances outside the operator's allow-list", () => {
  let world: WebWorld;
  let evil: Awaited<ReturnType<typeof evilServer>>;
  beforeAll(async () => {
    world = await createWebWorld();
    evil = await evilServer();
  });
  afterAll(async () => {
    await evil.close();
    await world.close();
  });

  const disguises = () => {
    const allowed = new URL(world.ofnUrl);
    return [
      evil.url,
      `http://localhost:${evil.port}`,
      `http://[::1]:${evil.port}`,
      `http://2130706433:${evil.port}`,
      `http://0x7f.0.0.1:${evil.port}`,
      `http://${allowed.host}@127.0.0.1:${evil.port}`,
      `http://127.0.0.1:${evil.port}/#${allowed.host}`,
      `http://127.0.0.1:${evil.port}/${allowed.host}`,
      `${allowed.protocol}//${allowed.hostname}:${evil.port}`,
      `https://${allowed.host}`,
      `HTTP://127.0.0.1:${evil.port}`,
      ` ${evil.url}`,
      `//127.0.0.1:${evil.port}`,
      `file:///etc/passwd`,
      `gopher://127.0.0.1:${evil.port}/_GET`,
      `javascript:fetch('${evil.url}')`,
      `data:text/plain,${evil.url}`,
    ];
  };

  it("refuses them on the key page and on the key form, without a single outgoing request", async () => {
    const client = new Client(world);
    const keyPage = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    const seen = await outgoing(async () => {
      for (const instance of disguises()) {
        const page = await client.get(`/setup/key?instance=${encodeURIComponent(instance)}`);
        expect(page.status, instance).toBe(303);
        expect(page.location, instance).toBe("/setup/instance?error=instance");
        // The form posted by hand with a well-formed key, which would be checked live if allowed.
        const posted = await client.post(
          "/setup/key",
          { instance, ofn_key: hex(48) },
          { from: keyPage, ...fresh() },
        );
        expect(posted.status, instance).toBe(303);
        expect(posted.location, instance).toBe("/setup/instance?error=instance");
      }
      const explained = await client.get("/setup/instance?error=instance");
      expect(textOf(explained.html)).toContain("This bridge works with these OFN sites only.");
      // The API's shop authentication takes an instance too: looked up, never called.
      const api = await world.t.app.request("/api/v1/me", {
        headers: { authorization: `Bearer ${hex(48)}`, "x-ofn-instance": evil.url },
      });
      expect(api.status).toBe(401);
    });
    expect(seen).toEqual([]);
    expect(evil.hits).toEqual([]);
  });

  it("sees the request an allowed instance gets (the observation works)", async () => {
    const seeded = seedShop(world, 1);
    const client = new Client(world);
    const keyPage = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    const seen = await outgoing(async () => {
      const res = await client.post(
        "/setup/key",
        { instance: world.ofnUrl, ofn_key: seeded.ofnKey },
        { from: keyPage },
      );
      expect(res.status).toBe(303);
    });
    expect(seen.some((line) => line.startsWith(`fetch ${world.ofnUrl}/api/dfc/organizations`))).toBe(true);
  });
});

describe("Mailchimp keys with a crafted datacenter", () => {
  const crafted = (secret: string) => [
    `${secret}-us1.evil.example`,
    `${secret}-us21/x`,
    `${secret}-us21@evil.example`,
    `${secret}-us21:8080`,
    `${secret}-us21#x`,
    `${secret}-us21?x=1`,
    `${secret}-us21.`,
    `${secret}-us21%2eevil.example`,
    `${secret}-127.0.0.1`,
    `${secret}-us21\r\nHost: evil.example`,
    `${secret}-`,
    `-us21`,
    `${secret}-US21`,
    `${secret}-us1234`,
  ];

  /** A shop signed in and at the Mailchimp key form, in a world where MAILCHIMP_BASE_URL is `base`. */
  async function atKeyForm(base: string) {
    const world = await createWebWorld({ MAILCHIMP_BASE_URL: base });
    const seeded = seedShop(world, 1);
    const client = new Client(world);
    const keyPage = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    await client.submit("/setup/key", { instance: world.ofnUrl, ofn_key: seeded.ofnKey }, keyPage);
    return { world, client, form: await client.get("/setup/provider/key?provider=mailchimp") };
  }

  it("refuses them before any request, with the real Mailchimp hostnames in use", async () => {
    // No MAILCHIMP_BASE_URL: as in production, the datacenter would become part of the hostname.
    const { world, client, form } = await atKeyForm("");
    try {
      const seen = await outgoing(async () => {
        for (const key of crafted(hex(32))) {
          const res = await client.post(
            "/setup/provider/key",
            { provider: "mailchimp", provider_key: key },
            { from: form, ...fresh() },
          );
          expect(res.status, JSON.stringify(key)).toBe(400);
          expect(textOf(res.html), JSON.stringify(key)).toContain("This is not a Mailchimp API key");
        }
      });
      expect(seen).toEqual([]);
    } finally {
      await world.close();
    }
  });

  it("sends a well-formed key where it should, and still no crafted one (the observation works)", async () => {
    const evil = await evilServer();
    const { world, client, form } = await atKeyForm(`${evil.url}/3.0`);
    try {
      const wellFormed = `${hex(32)}-us21`;
      const seen = await outgoing(async () => {
        const res = await client.post(
          "/setup/provider/key",
          { provider: "mailchimp", provider_key: wellFormed },
          { from: form, ...fresh() },
        );
        expect(res.status).toBe(400);
      });
      expect(seen.some((line) => line.includes(`127.0.0.1`) && line.includes("/3.0/"))).toBe(true);
      expect(evil.hits.length).toBeGreaterThan(0);
      const before = evil.hits.length;
      const none = await outgoing(async () => {
        for (const key of crafted(hex(32))) {
          const res = await client.post(
            "/setup/provider/key",
            { provider: "mailchimp", provider_key: key },
            { from: form, ...fresh() },
          );
          expect(res.status, JSON.stringify(key)).toBe(400);
        }
      });
      expect(none).toEqual([]);
      expect(evil.hits.length).toBe(before);
    } finally {
      await world.close();
      await evil.close();
    }
  });
});
