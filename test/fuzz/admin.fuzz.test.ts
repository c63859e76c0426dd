/**
 * Property-based tests of the operator admin: every admin form (routes from the app's table)
 * posted by a signed-in operator with a valid CSRF token, random shop ids in the path, random
 * query strings on every admin page. The answer is a page, a redirect or a localised HTML error,
 * never a 5xx.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, Browser, insertShop, signInAdmin } from "../admin/support.js";
import { createWebWorld, type WebWorld } from "../web/harness.js";
import { encode, encoding, formFields, routesOf, send, wellFormed } from "./forms.js";
import { expectPageAnswer, nastyString, pathSegment } from "./support.js";

let world: WebWorld;
beforeAll(async () => {
  world = await createWebWorld({ ADMIN_TOKEN });
}, 60_000);
afterAll(() => world.close());

describe("admin forms under random input", () => {
  let browser: Browser;
  let csrf: string;
  let shopIds: string[];
  beforeAll(async () => {
    browser = new Browser(world.t.app);
    csrf = await signInAdmin(browser);
    shopIds = [];
    for (let i = 0; i < 3; i++)
      shopIds.push((await insertShop(world.t, { ofnInstance: world.ofnUrl })).shopId);
  });

  it("answers every admin form and page with a page, a redirect or a clear error", async () => {
    const posts = routesOf(world.t.app, "POST", ["/admin"]).filter((p) => p !== "/admin/logout");
    const gets = routesOf(world.t.app, "GET", ["/admin"]);
    expect(posts).toEqual(
      expect.arrayContaining(["/admin/login", "/admin/shops/:shopId/delete", "/admin/shops/:shopId/pause"]),
    );
    const shopId = fc.oneof(fc.constantFrom(...shopIds), pathSegment);
    const fields = formFields(["token", "confirm", "q", "status", "page"]);
    const query = fc.dictionary(
      fc.constantFrom("q", "status", "page", "shop", "done", "x"),
      nastyString(60),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...posts, ...gets.map((g) => `GET ${g}`)),
        shopId,
        fields,
        query,
        encoding,
        async (route, id, form, q, how) => {
          const isGet = route.startsWith("GET ");
          const path = route.replace(/^GET /, "").replace(/:shopId/, id);
          if (isGet) {
            const answer = await send(world.t.app, browser, `${path}?${new URLSearchParams(wellFormed(q))}`, {
              method: "GET",
            });
            expectPageAnswer(answer, `GET ${path}`);
            return;
          }
          const { body, headers } = encode(form, csrf, how);
          expectPageAnswer(
            await send(world.t.app, browser, path, { method: "POST", body, headers }),
            `POST ${path} ${JSON.stringify(form).slice(0, 200)}`,
          );
          // A random post may have signed the operator out (a wrong token on the sign-in form does not).
          if (!browser.cookies.size) csrf = await signInAdmin(browser);
        },
      ),
      { numRuns: 250 },
    );
  }, 120_000);

  it("answers the sign-out form with random fields", async () => {
    await fc.assert(
      fc.asyncProperty(formFields(["token", "confirm"]), encoding, async (form, how) => {
        const operator = new Browser(world.t.app);
        const token = await signInAdmin(operator);
        const { body, headers } = encode(form, token, how);
        expectPageAnswer(
          await send(world.t.app, operator, "/admin/logout", { method: "POST", body, headers }),
          "POST /admin/logout",
        );
      }),
      { numRuns: 5 },
    );
  });
});
