/**
 * The demo's sandbox console: a small page where a person registers the bridge's webhook URL in
 * the simulated OFN, opens an order cycle, and sees the campaign that results in Mailchimp/Brevo.
 */
import { Hono } from "hono";
import type { BrevoSimulator } from "./brevo.js";
import type { MailchimpSimulator } from "./mailchimp.js";
import type { OfnSimulator } from "./ofn.js";
import type { DemoWorld } from "./seed.js";

const TEXT = {
  en: {
    title: "OFN bridge sandbox",
    intro: "Everything here is simulated: no real shop, mailbox or account is touched.",
    webhook: "1. Paste the webhook URL the bridge shows you (as a shop would in OFN's developer settings)",
    save: "Save in the simulated OFN",
    open: "2. Open an order cycle",
    name: "Order cycle name",
    coordinator: "Coordinator",
    closesIn: "Closes in (days)",
    openButton: "Open it now",
    deliveries: "Webhook deliveries sent by the simulated OFN",
    campaigns: "Campaigns in the simulated providers",
    none: "None yet.",
    switch: "Français",
  },
  fr: {
    title: "Bac à sable de la passerelle OFN",
    intro: "Tout est simulé ici : aucune vraie boutique, boîte mail ni aucun vrai compte n'est touché.",
    webhook:
      "1. Collez l'URL de webhook que la passerelle vous donne (comme une boutique dans les paramètres développeur d'OFN)",
    save: "Enregistrer dans l'OFN simulé",
    open: "2. Ouvrir un cycle de vente",
    name: "Nom du cycle de vente",
    coordinator: "Coordinateur",
    closesIn: "Ferme dans (jours)",
    openButton: "L'ouvrir maintenant",
    deliveries: "Webhooks envoyés par l'OFN simulé",
    campaigns: "Campagnes chez les fournisseurs simulés",
    none: "Aucun pour l'instant.",
    switch: "English",
  },
} as const;

export function createSandboxConsole(
  sims: { ofn: OfnSimulator; mailchimp: MailchimpSimulator; brevo: BrevoSimulator },
  world: DemoWorld,
  links: { bridge: string },
): Hono {
  const app = new Hono();
  app.get("/", (c) => {
    const lang = c.req.query("lang") === "fr" ? "fr" : "en";
    const t = TEXT[lang];
    const mailchimp = [...sims.mailchimp.account(world.mailchimpApiKey).campaigns.values()].map(
      (campaign) => ({
        provider: "Mailchimp",
        title: String(campaign.settings.subject_line ?? ""),
        status: campaign.status,
        recipients: campaign.sentTo.length,
        html: campaign.content?.html ?? "",
      }),
    );
    const brevo = [...sims.brevo.account(world.brevoApiKey).campaigns.values()].map((campaign) => ({
      provider: "Brevo",
      title: campaign.subject ?? campaign.name,
      status: campaign.status,
      recipients: campaign.sentTo.length,
      html: campaign.htmlContent,
    }));
    const campaigns = [...mailchimp, ...brevo];
    return c.html(
      <html lang={lang}>
        <head>
          <meta charset="utf-8" />
          <title>{t.title}</title>
        </head>
        <body style="font-family: system-ui, sans-serif; max-width: 60rem; margin: 1rem auto; padding: 0 1rem">
          <p>
            <a href={`/?lang=${lang === "fr" ? "en" : "fr"}`}>{t.switch}</a> ·{" "}
            <a href={links.bridge}>{links.bridge}</a>
          </p>
          <h1>{t.title}</h1>
          <p>{t.intro}</p>
          <form method="post" action="/webhook">
            <label for="url">{t.webhook}</label>
            <input id="url" name="url" type="url" required style="width: 100%" />
            <input type="hidden" name="lang" value={lang} />
            <button type="submit">{t.save}</button>
          </form>
          <h2>{t.open}</h2>
          <form method="post" action="/open">
            <label for="name">{t.name}</label> <input id="name" name="name" required value="Semaine 12" />{" "}
            <label for="coordinator">{t.coordinator}</label>{" "}
            <select id="coordinator" name="coordinator">
              {world.enterprises.map((e) => (
                <option value={String(e.id)}>{e.name}</option>
              ))}
            </select>{" "}
            <label for="days">{t.closesIn}</label>{" "}
            <input id="days" name="days" type="number" min="1" value="3" />
            <input type="hidden" name="lang" value={lang} />
            <button type="submit">{t.openButton}</button>
          </form>
          <h2>{t.deliveries}</h2>
          {sims.ofn.deliveries.length === 0 ? <p>{t.none}</p> : null}
          <ul>
            {sims.ofn.deliveries.map((d) => (
              <li>
                {d.event} · {d.id} · {d.attempts.map((a) => a.status ?? a.error).join(", ")}
              </li>
            ))}
          </ul>
          <h2>{t.campaigns}</h2>
          {campaigns.length === 0 ? <p>{t.none}</p> : null}
          {campaigns.map((campaign) => (
            <details>
              <summary>
                {campaign.provider} · {campaign.title} · {campaign.status} · {campaign.recipients}
              </summary>
              <iframe
                title={campaign.title}
                srcdoc={campaign.html}
                sandbox=""
                style="width: 100%; height: 24rem"
              />
            </details>
          ))}
        </body>
      </html>,
    );
  });
  app.post("/webhook", async (c) => {
    const form = await c.req.parseBody();
    const url = String(form.url ?? "");
    if (URL.canParse(url)) sims.ofn.setWebhookEndpoint(world.ofnApiKey, url);
    return c.redirect(`/?lang=${form.lang === "fr" ? "fr" : "en"}`, 303);
  });
  app.post("/open", async (c) => {
    const form = await c.req.parseBody();
    const days = Math.max(1, Number(form.days) || 3);
    sims.ofn.openOrderCycle({
      name: String(form.name || "Order cycle"),
      coordinatorId: Number(form.coordinator) || world.enterprises[0]!.id,
      ordersCloseAt: new Date(Date.now() + days * 86_400_000),
    });
    return c.redirect(`/?lang=${form.lang === "fr" ? "fr" : "en"}`, 303);
  });
  return app;
}
