/**
 * The whole flow in Chromium, landing to dashboard, in English (Mailchimp) and in French (Brevo):
 * every page screenshotted under test/artifacts/ and checked with axe-core; "sync now" watched
 * until the progress bar is full; OFN's own test webhook seen on the dashboard.
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Locale, type MessageKey, translate } from "../../src/web/i18n/index.js";
import { ARTIFACTS, expectAccessible, newContext, type Stage, seedStageShop, startStage } from "./bridge.js";

describe("setup flow in Chromium", () => {
  let stage: Stage;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const old of readdirSync(ARTIFACTS).filter((name) => /^(en|fr)-\d+-.*\.png$/.test(name)))
      rmSync(join(ARTIFACTS, old));
    stage = await startStage();
  });
  afterAll(() => stage?.close());

  async function walk(lang: Locale, provider: "mailchimp" | "brevo") {
    const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
    const seeded = seedStageShop(stage);
    const context = await newContext(stage, lang === "fr" ? "fr-FR" : "en-GB");
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stage.url });
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
        cspErrors.push(message.text());
    });
    let shot = 0;
    const check = async (name: string, target: Page = page) => {
      shot += 1;
      await target.screenshot({
        path: join(ARTIFACTS, `${lang}-${String(shot).padStart(2, "0")}-${name}.png`),
        fullPage: true,
      });
      await expectAccessible(target, `${lang} ${name}`);
    };
    const save = () => page.getByRole("button", { name: t("form.saveContinue") }).click();

    await page.goto("/");
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe(lang);
    await check("landing");
    await page.getByRole("link", { name: t("landing.start") }).click();

    await page.waitForURL("**/setup/instance");
    await check("instance");
    await page.getByRole("button", { name: t("form.continue") }).click();

    await page.waitForURL("**/setup/key?**");
    await page.getByLabel(t("ofnKey.label"), { exact: true }).fill("not-a-key");
    await page.getByRole("button", { name: t("ofnKey.submit") }).click();
    await expect
      .poll(() => page.locator(".error-summary").textContent())
      .toContain(t("ofnKey.problem.format"));
    // The summary takes the focus and links to the field.
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe("error-summary");
    await check("ofn-key-error");
    await page.getByLabel(t("ofnKey.label"), { exact: true }).fill(seeded.ofnKey);
    await page.getByRole("button", { name: t("ofnKey.submit") }).click();

    await page.waitForURL("**/setup/enterprises");
    await expect.poll(() => page.getByText(seeded.enterprises[1]!.name).count()).toBeGreaterThan(0);
    await check("enterprises");
    await save();

    await page.waitForURL("**/setup/provider");
    await check("provider");
    await page.getByLabel(provider === "mailchimp" ? "Mailchimp" : "Brevo", { exact: true }).check();
    await page.getByRole("button", { name: t("form.continue") }).click();

    await page.waitForURL("**/setup/provider/key?**");
    const service = provider === "mailchimp" ? "Mailchimp" : "Brevo";
    await check("provider-key");
    await page
      .getByLabel(t("providerKey.label", { service }), { exact: true })
      .fill(provider === "mailchimp" ? seeded.mailchimpKey : seeded.brevoKey);
    await page.getByRole("button", { name: t("providerKey.submit") }).click();

    await page.waitForURL("**/setup/audience");
    await check("audience");
    await page.getByRole("radio").first().check();
    await save();

    await page.waitForURL("**/setup/consent");
    await check("consent");
    await page.getByLabel(t("consent.doubleOptIn"), { exact: true }).check();
    if (provider === "brevo") {
      // Brevo asks new contacts through a double opt-in template: without its number the step says so.
      await save();
      await expect
        .poll(() => page.locator(".error-summary").textContent())
        .toContain(t("consent.error.brevoDoiMissing"));
      await check("consent-error");
      await page.getByLabel(t("consent.brevoDoi"), { exact: true }).fill(String(seeded.doiTemplateId));
    }
    await save();

    await page.waitForURL("**/setup/schedule");
    await check("schedule");
    await page.getByLabel(t("schedule.interval.label"), { exact: true }).selectOption("12");
    await save();

    await page.waitForURL("**/setup/template");
    await check("template");
    // Typing updates the preview without a reload (preview.js).
    await page
      .getByLabel(t("template.subject"), { exact: true })
      .fill("{{shop_name}} — {{order_cycle_name}}");
    await expect
      .poll(() => page.locator("[data-preview]").textContent())
      .toContain(`${seeded.enterprises[0]!.name} — `);
    await page.getByLabel(t("template.fromName"), { exact: true }).fill(seeded.enterprises[0]!.name);
    await save();

    await page.waitForURL("**/setup/webhook");
    await check("webhook-before");
    await page.getByRole("button", { name: t("webhookStep.create") }).click();
    const field = page.getByLabel(t("webhookStep.urlLabel"), { exact: true });
    const webhookUrl = await field.inputValue();
    expect(webhookUrl).toMatch(new RegExp(`^${stage.url}/webhooks/ofn/[A-Za-z0-9_-]{43}$`));
    const copy = page.getByRole("button", { name: t("webhook.setup.copy") });
    await copy.click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(webhookUrl);
    await check("webhook-created");

    // The shop pastes the URL into OFN and presses OFN's only test button.
    stage.ofn.setWebhookEndpoint(seeded.ofnKey, webhookUrl);
    stage.ofn.sendTestWebhook(seeded.ofnKey, webhookUrl);
    await stage.ofn.flushWebhooks();

    await page.getByRole("link", { name: t("webhookStep.toDashboard") }).click();
    await page.waitForURL("**/dashboard");
    await expect.poll(() => page.getByText(t("delivery.outcome.testReceived")).count()).toBeGreaterThan(0);
    await check("dashboard");

    await page.getByRole("button", { name: t("sync.now") }).click();
    await page.waitForURL("**/dashboard/sync/*");
    await check("sync-running");
    // progress.js follows the run over server-sent events, then reloads on the final state.
    await expect
      .poll(() => page.locator(".progress-text [data-role=status]").textContent(), { timeout: 60_000 })
      .toBe(t("sync.status.succeeded"));
    const bar = page.locator("progress");
    await expect
      .poll(async () => await bar.evaluate((el: HTMLProgressElement) => el.value === el.max && el.max > 0))
      .toBe(true);
    await page.waitForLoadState("load");
    await expect
      .poll(() => page.getByText(t("sync.count.new", { n: 60 })).count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await check("sync-done");

    await page.getByRole("link", { name: t("nav.backToDashboard") }).click();
    await page.getByRole("button", { name: t("campaign.simulate") }).click();
    await page.waitForURL("**/dashboard?notice=simulated**");
    await check("dashboard-simulated");

    await page.getByRole("link", { name: t("danger.delete") }).click();
    await check("delete-confirm");

    expect(cspErrors).toEqual([]);
    await context.close();
    return { seeded };
  }

  it("walks the whole flow in English with Mailchimp", async () => {
    await walk("en", "mailchimp");
  });

  it("walks the whole flow in French with Brevo, then deletes the shop", async () => {
    const t = (key: MessageKey) => translate("fr", key);
    await walk("fr", "brevo");
    // The last walk left its page on the delete confirmation; a new session signs in and deletes.
    const seeded = seedStageShop(stage);
    const context = await newContext(stage, "fr-FR");
    const page = await context.newPage();
    await page.goto("/setup/instance?signin=1");
    await page.getByRole("button", { name: t("form.continue") }).click();
    await page.getByLabel(t("ofnKey.label"), { exact: true }).fill(seeded.ofnKey);
    await page.getByRole("button", { name: t("ofnKey.submit") }).click();
    await page.waitForURL("**/setup/enterprises");
    await page.goto("/dashboard/delete");
    await page.getByRole("button", { name: t("danger.delete.confirm") }).click();
    await page.waitForURL("**/?notice=deleted");
    await expect.poll(() => page.getByText(t("landing.notice.deleted")).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, "fr-99-deleted.png"), fullPage: true });
    await expectAccessible(page, "fr deleted");
    await context.close();
  });
});
