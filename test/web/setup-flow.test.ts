/** Every setup step's happy path, landing to dashboard, in English with Mailchimp and in French with Brevo. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignTemplates, providerConnections, shopEnterprises, shops } from "../../src/db/schema/index.js";
import { readShopSettings } from "../../src/shops/settings.js";
import { Client, createWebWorld, optionValues, seedShop, textOf, type WebWorld } from "./harness.js";

describe("setup flow", () => {
  let world: WebWorld;
  beforeAll(async () => {
    world = await createWebWorld();
  });
  afterAll(() => world.close());

  it("goes from the landing page to the dashboard in English with Mailchimp", async () => {
    const seeded = seedShop(world);
    const client = new Client(world, "en");

    const landing = await client.get("/");
    expect(landing.status).toBe(200);
    expect(landing.html).toContain('<html lang="en">');
    expect(textOf(landing.html)).toContain("Your OFN customers, in your newsletter");
    expect(landing.html).toContain('href="/setup/instance"');

    const instance = await client.get("/setup/instance");
    expect(textOf(instance.html)).toContain("Which Open Food Network do you use?");
    expect(optionValues(instance, "instance")).toEqual([world.ofnUrl]);
    expect(instance.html).toContain("<fieldset");
    expect(instance.html).toContain("<legend>Your OFN site</legend>");

    const keyPage = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    expect(keyPage.status).toBe(200);
    expect(keyPage.html).toContain('<label for="ofn_key">OFN API key</label>');
    expect(textOf(keyPage.html)).toContain("Developer settings");

    const enterprises = await client.submit(
      "/setup/key",
      { instance: world.ofnUrl, ofn_key: seeded.ofnKey.toUpperCase() },
      keyPage,
    );
    expect(textOf(enterprises.html)).toContain("Your enterprises");
    for (const enterprise of seeded.enterprises) {
      expect(enterprises.html).toContain(`<legend>${enterprise.name}</legend>`);
      expect(enterprises.html).toContain(`${world.ofnUrl}/${enterprise.permalink}/shop`);
    }
    expect(enterprises.html).toContain('aria-current="step"');
    const [first, second] = seeded.enterprises;

    const provider = await client.submit(
      "/setup/enterprises",
      { sync: [String(first!.id)], announce: [String(first!.id), String(second!.id)] },
      enterprises,
    );
    expect(textOf(provider.html)).toContain("Which newsletter tool do you use?");
    expect(optionValues(provider, "provider")).toEqual(["mailchimp", "brevo"]);

    const mcKey = await client.get("/setup/provider/key?provider=mailchimp");
    expect(textOf(mcKey.html)).toContain("Paste your Mailchimp API key");
    const audience = await client.submit(
      "/setup/provider/key",
      { provider: "mailchimp", provider_key: seeded.mailchimpKey },
      mcKey,
    );
    expect(textOf(audience.html)).toContain("Where should your customers go?");
    const [audienceId] = optionValues(audience, "audience");
    expect(textOf(audience.html)).toContain(seeded.listName);

    const consent = await client.submit("/setup/audience", { audience: audienceId! }, audience);
    expect(textOf(consent.html)).toContain("Consent of new contacts");
    expect(optionValues(consent, "consent")).toEqual(["non_marketing", "double_opt_in", "subscribed"]);
    expect(textOf(consent.html)).toContain("GDPR");

    const schedule = await client.submit(
      "/setup/consent",
      { consent: "double_opt_in", require_tag: " newsletter ", gone: "remove_tag" },
      consent,
    );
    expect(textOf(schedule.html)).toContain("How often to sync");

    const template = await client.submit(
      "/setup/schedule",
      { mode: "interval", interval: "12", cron: "", time_zone: "Europe/London" },
      schedule,
    );
    expect(textOf(template.html)).toContain("Your order cycle announcement");
    expect(template.html).toContain(`<option value="${seeded.sender}"`);
    // The preview renders the default template with a sample cycle and the enterprise's shop link.
    expect(template.html).toContain(`href="${world.ofnUrl}/${first!.permalink}/shop"`);
    expect(template.html).toContain('src="/static/preview.js"');

    const webhook = await client.submit(
      "/setup/template",
      {
        locale: "en",
        from_name: "Ferme du coin",
        reply_to: seeded.sender,
        delivery: "send_now",
        subject: "{{order_cycle_name}} is open",
        body: "Order now at {{shop_url}}",
        action: "save",
      },
      template,
    );
    expect(textOf(webhook.html)).toContain("Webhook URL for Open Food Network");
    expect(webhook.html).not.toContain("/webhooks/ofn/");

    const created = await client.post("/setup/webhook", {}, { from: webhook });
    expect(created.status).toBe(200);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const url = /id="webhook_url" type="text" readonly="" value="([^"]+)"/.exec(created.html)?.[1];
    expect(url).toMatch(/^https:\/\/bridge\.test\/webhooks\/ofn\/[A-Za-z0-9_-]{43}$/);
    expect(textOf(created.html)).toContain("Developer settings");
    expect(created.html).toContain('data-copy-target="webhook_url"');

    const dashboard = await client.get("/dashboard");
    expect(dashboard.status).toBe(200);
    const text = textOf(dashboard.html);
    expect(text).toContain("Working");
    // The end of the secret part, not the datacenter suffix every key of that region shares.
    expect(text).toContain(`key ending in …${seeded.mailchimpKey.split("-")[0]!.slice(-4)}`);
    expect(text).toContain(`key ending in …${seeded.ofnKey.slice(-4)}`);
    expect(text).not.toContain("Finish setting up");
    // The webhook URL is not shown again, and no key ever is.
    expect(dashboard.html).not.toContain(url!.split("/").pop()!);
    for (const page of [dashboard, created, template, audience]) {
      expect(page.html).not.toContain(seeded.ofnKey);
      expect(page.html).not.toContain(seeded.mailchimpKey);
    }

    // Signing in again from another browser, once setup is complete, lands on the dashboard.
    const again = new Client(world, "en");
    const signIn = await again.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    const landed = await again.post(
      "/setup/key",
      { instance: world.ofnUrl, ofn_key: seeded.ofnKey },
      { from: signIn },
    );
    expect(landed.location).toBe("/dashboard");

    const db = world.t.deps.database.db;
    const [shop] = await db
      .select()
      .from(shops)
      .where(eq(shops.ofnApiKeyLast4, seeded.ofnKey.slice(-4)));
    expect(shop).toBeDefined();
    const settings = readShopSettings(shop!.settings);
    expect(settings.sync).toMatchObject({
      consent: "double_opt_in",
      requireTag: "newsletter",
      goneCustomers: "remove_tag",
      intervalHours: 12,
      cron: null,
    });
    expect(settings.campaigns).toMatchObject({
      fromName: "Ferme du coin",
      replyTo: seeded.sender,
      delivery: "send_now",
    });
    expect(shop!.timeZone).toBe("Europe/London");
    expect(shop!.nextSyncAt).not.toBeNull();
    const rows = await db.select().from(shopEnterprises).where(eq(shopEnterprises.shopId, shop!.id));
    expect(rows.map((r) => [r.enterpriseId, r.syncCustomers, r.announceCycles]).sort()).toEqual(
      [
        [first!.id, true, true],
        [second!.id, false, true],
      ].sort(),
    );
    const [connection] = await db
      .select()
      .from(providerConnections)
      .where(eq(providerConnections.shopId, shop!.id));
    expect(connection).toMatchObject({ provider: "mailchimp", audienceId, audienceName: seeded.listName });
    const [template_] = await db
      .select()
      .from(campaignTemplates)
      .where(eq(campaignTemplates.shopId, shop!.id));
    expect(template_?.subject).toBe("{{order_cycle_name}} is open");
    expect(shop!.webhookTokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("goes through every step in French with Brevo and a cron schedule", async () => {
    const seeded = seedShop(world, 1);
    const client = new Client(world, "fr");

    const landing = await client.get("/");
    expect(landing.html).toContain('<html lang="fr">');
    expect(textOf(landing.html)).toContain("Vos clients OFN dans votre newsletter");

    const instance = await client.get("/setup/instance");
    expect(textOf(instance.html)).toContain("Quel Open Food Network utilisez-vous ?");
    const keyPage = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    expect(keyPage.html).toContain('<label for="ofn_key">Clé d&#39;API OFN</label>');
    expect(textOf(keyPage.html)).toContain("Paramètres développeur");

    const enterprises = await client.submit(
      "/setup/key",
      { instance: world.ofnUrl, ofn_key: `  ${seeded.ofnKey}  ` },
      keyPage,
    );
    expect(textOf(enterprises.html)).toContain("Vos entreprises");
    expect(textOf(enterprises.html)).toContain("Étape 1 sur 7");
    const id = String(seeded.enterprises[0]!.id);

    const provider = await client.submit("/setup/enterprises", { sync: id, announce: id }, enterprises);
    expect(textOf(provider.html)).toContain("Quel outil de newsletter utilisez-vous ?");
    const brevoKey = await client.get("/setup/provider/key?provider=brevo");
    expect(textOf(brevoKey.html)).toContain("Collez votre clé d'API Brevo");
    const audience = await client.submit(
      "/setup/provider/key",
      { provider: "brevo", provider_key: seeded.brevoKey },
      brevoKey,
    );
    expect(textOf(audience.html)).toContain("Où vos clients doivent-ils aller ?");
    expect(audience.html).toContain("<legend>Liste Brevo</legend>");
    const [listId] = optionValues(audience, "audience");

    const consent = await client.submit("/setup/audience", { audience: listId! }, audience);
    expect(textOf(consent.html)).toContain("Consentement des nouveaux contacts");
    expect(textOf(consent.html)).toContain("RGPD");
    const schedule = await client.submit(
      "/setup/consent",
      { consent: "non_marketing", require_tag: "", gone: "keep" },
      consent,
    );
    expect(textOf(schedule.html)).toContain("À quelle fréquence synchroniser");

    const badCron = await client.post(
      "/setup/schedule",
      { mode: "cron", interval: "24", cron: "* * * * *", time_zone: "Europe/Paris" },
      { from: schedule },
    );
    expect(badCron.status).toBe(400);
    expect(textOf(badCron.html)).toContain("Il y a un problème");
    expect(badCron.html).toContain('<a href="#cron">');
    expect(badCron.html).toContain('aria-invalid="true"');

    const template = await client.submit(
      "/setup/schedule",
      { mode: "cron", interval: "24", cron: "0 6 * * 1", time_zone: "Europe/Paris" },
      schedule,
    );
    expect(textOf(template.html)).toContain("Votre annonce de cycle de vente");
    // The default template speaks the shop's language; the preview shows French dates.
    expect(template.html).toContain("les commandes sont ouvertes chez");
    expect(textOf(template.html)).toMatch(
      /Vous pouvez commander du (lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d+ \S+ à \d\d:\d\d/,
    );

    const preview = await client.post(
      "/setup/template/preview",
      {
        locale: "fr",
        from_name: "Ferme",
        reply_to: seeded.sender,
        delivery: "draft",
        subject: "Ouvert : {{order_cycle_name}}",
        body: "**{{shop_name}}** <script>alert(1)</script> {{inconnu}}",
      },
      { from: template },
    );
    expect(preview.status).toBe(200);
    expect(preview.html).toContain(`<strong>${seeded.enterprises[0]!.name}</strong>`);
    expect(preview.html).not.toContain("<script>");
    expect(textOf(preview.html)).toContain("Ces mots ne sont pas connus et resteront tels quels : inconnu");

    const webhook = await client.submit(
      "/setup/template",
      {
        locale: "fr",
        from_name: "Ferme",
        reply_to: seeded.sender,
        delivery: "draft",
        subject: "Ouvert : {{order_cycle_name}}",
        body: "Bonjour",
        action: "save",
      },
      template,
    );
    expect(textOf(webhook.html)).toContain("Créer mon URL de webhook");
    const created = await client.post("/setup/webhook", {}, { from: webhook });
    expect(textOf(created.html)).toContain("Cette URL n'est affichée que maintenant");
    const dashboard = await client.get("/dashboard");
    expect(textOf(dashboard.html)).toContain("Synchronisation des clients");
    expect(textOf(dashboard.html)).toContain("Fonctionne");
    expect(textOf(dashboard.html)).toContain("0 6 * * 1");

    const [shop] = await world.t.deps.database.db
      .select()
      .from(shops)
      .where(eq(shops.ofnApiKeyLast4, seeded.ofnKey.slice(-4)));
    expect(readShopSettings(shop!.settings).sync.cron).toBe("0 6 * * 1");
    expect(shop!.locale).toBe("fr");
  });

  it("shows each setting again from the dashboard and comes back there after saving", async () => {
    const seeded = seedShop(world, 1);
    const client = new Client(world, "en");
    const keyPage = await client.get(`/setup/key?instance=${encodeURIComponent(world.ofnUrl)}`);
    await client.submit("/setup/key", { instance: world.ofnUrl, ofn_key: seeded.ofnKey }, keyPage);
    const consent = await client.get("/setup/consent?from=dashboard");
    expect(consent.html).toContain('<input type="hidden" name="from" value="dashboard"/>');
    const back = await client.post(
      "/setup/consent",
      { consent: "subscribed", require_tag: "", gone: "keep", from: "dashboard" },
      { from: consent },
    );
    expect(back.status).toBe(303);
    expect(back.location).toBe("/dashboard?notice=saved");
    const dashboard = await client.get(back.location!);
    expect(textOf(dashboard.html)).toContain("Your changes are saved.");
    expect(textOf(dashboard.html)).toContain("Subscribed: I already have their consent");
    // Setup is unfinished (no provider yet): the dashboard says where to continue.
    expect(textOf(dashboard.html)).toContain("Finish setting up");
    expect(dashboard.html).toContain('href="/setup/enterprises"');
  });
});
