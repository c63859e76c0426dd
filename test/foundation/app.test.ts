import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createTestApp, type TestApp } from "../support/app.js";
import { createTestDatabase } from "../support/db.js";

describe("HTTP skeleton", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("answers /healthz and /readyz", async () => {
    expect((await t.app.request("/healthz")).status).toBe(200);
    const ready = await t.app.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("puts a request id on every response and secure headers", async () => {
    const res = await t.app.request("/healthz");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const echoed = await t.app.request("/healthz", { headers: { "X-Request-Id": "upstream-1234" } });
    expect(echoed.headers.get("x-request-id")).toBe("upstream-1234");
    const hostile = await t.app.request("/healthz", {
      headers: { "X-Request-Id": "<script>alert(1)</script>" },
    });
    expect(hostile.headers.get("x-request-id")).not.toContain("<");
  });

  it("answers JSON errors under /api", async () => {
    const res = await t.app.request("/api/nothing-here");
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe("NOT_FOUND");
    expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("shows a localised HTML error page elsewhere", async () => {
    const fr = await t.app.request("/nulle-part", {
      headers: { "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5" },
    });
    expect(fr.status).toBe(404);
    expect(fr.headers.get("content-type")).toContain("text/html");
    const html = await fr.text();
    expect(html).toContain('lang="fr"');
    expect(html).toContain("Page introuvable");
    const en = await t.app.request("/nowhere", { headers: { "Accept-Language": "en-GB" } });
    expect(await en.text()).toContain("Page not found");
    const cookie = await t.app.request("/nowhere", {
      headers: { Cookie: "lang=fr", "Accept-Language": "en" },
    });
    expect(await cookie.text()).toContain("Page introuvable");
  });

  it("remembers the language switch in a cookie without redirecting off-site", async () => {
    const res = await t.app.request("/lang/fr", { headers: { Referer: "https://evil.example/phish" } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/phish");
    expect(res.headers.get("set-cookie")).toContain("lang=fr");
  });

  it("hides internals on 500 and logs the details", async () => {
    // A fresh app: Hono freezes its router on the first request.
    const app = createApp(t.deps);
    app.get("/boom", () => {
      throw new Error("database password is hunter2");
    });
    const res = await app.request("/boom", { headers: { "Accept-Language": "en" } });
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).not.toContain("hunter2");
    expect(html).toContain(res.headers.get("x-request-id")!);
    expect(t.logs.text()).toContain("request failed");
  });

  it("reports not ready on a database that is not migrated", async () => {
    const bare = await createTestDatabase({ migrate: false });
    try {
      const app = createApp({ ...t.deps, database: bare });
      const res = await app.request("/readyz");
      expect(res.status).toBe(503);
    } finally {
      await bare.close();
    }
  });
});
