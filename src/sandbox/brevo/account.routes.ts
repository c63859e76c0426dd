/** /account, /senders and the transactional templates a campaign may copy (/smtp/templates). */
import type { Hono } from "hono";
import type { BrevoEnv } from "./http.js";
import { notFound, page, paging, sendFailure } from "./http.js";
import { isFailure } from "./store.js";
import type { BrevoTemplate } from "./types.js";
import { iso } from "./values.js";

function templateJson(template: BrevoTemplate, single: boolean): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: template.id,
    name: template.name,
    subject: template.subject,
    isActive: template.isActive,
    testSent: false,
    sender: { ...template.sender },
    replyTo: template.sender.email,
    toField: "",
    tag: template.tag,
    htmlContent: template.htmlContent,
    createdAt: iso(template.createdAt),
    modifiedAt: iso(template.createdAt),
  };
  // The spec: doiTemplate "will be available only in case of single template detail call".
  if (single) json.doiTemplate = template.htmlContent.includes("{{ doubleoptin }}");
  return json;
}

export function mountAccountRoutes(api: Hono<BrevoEnv>): void {
  api.get("/account", (c) => {
    const account = c.get("account");
    return c.json({
      email: account.email,
      firstName: account.firstName,
      lastName: account.lastName,
      companyName: account.companyName,
      address: { street: "1 Sandbox Street", city: "Sandbox", zipCode: "00000", country: "France" },
      plan: [{ type: account.planType, creditsType: "sendLimit", credits: account.emailCredits }],
      relay: { enabled: true, data: { userName: account.email, relay: "smtp-relay.brevo.com", port: 587 } },
      marketingAutomation: { enabled: false },
    });
  });

  api.get("/senders", (c) => {
    const domain = c.req.query("domain")?.toLowerCase();
    const senders = c
      .get("account")
      .senders.filter((s) => !domain || s.email.toLowerCase().endsWith(`@${domain}`))
      .map((s) => ({ id: s.id, name: s.name, email: s.email, active: s.active }));
    return c.json({ senders });
  });

  api.get("/smtp/templates", (c) => {
    const p = paging(c, 50, 1000);
    if (isFailure(p)) return sendFailure(c, p);
    const status = c.req.query("templateStatus");
    let templates = [...c.get("account").templates.values()];
    if (status !== undefined) templates = templates.filter((t) => String(t.isActive) === status);
    return c.json({
      count: templates.length,
      templates: page(templates, p).map((t) => templateJson(t, false)),
    });
  });

  api.get("/smtp/templates/:templateId", (c) => {
    const template = c.get("account").templates.get(Number(c.req.param("templateId")));
    if (!template) return notFound(c, "Template ID does not exist");
    return c.json(templateJson(template, true));
  });
}
