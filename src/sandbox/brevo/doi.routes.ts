/**
 * POST /contacts/doubleOptinConfirmation (brevo.md §2.8): Brevo mails a confirmation link and the
 * contact joins the lists only after the click. The sandbox records each mail and creates or
 * updates the contact only when a test calls `confirmDoubleOptIn` (the click).
 */
import type { Hono } from "hono";
import type { BrevoEnv } from "./http.js";
import { positiveIds, readObject, sendFailure } from "./http.js";
import { applyWrite, createContact, failure, isFailure, prepareWrite } from "./store.js";
import type { BrevoAccount, BrevoContact } from "./types.js";
import { normaliseEmail } from "./values.js";

/** One confirmation mail Brevo would have sent. */
export interface DoiRequest {
  email: string;
  templateId: number;
  includeListIds: number[];
  excludeListIds: number[];
  redirectionUrl: string;
  attributes: Record<string, unknown>;
  at: number;
  confirmedAt?: number;
}

// Kept beside the account rather than on it: BrevoAccount is the shared state type of the other routes.
const sent = new WeakMap<BrevoAccount, DoiRequest[]>();

export function doiRequests(account: BrevoAccount): DoiRequest[] {
  let list = sent.get(account);
  if (!list) {
    list = [];
    sent.set(account, list);
  }
  return list;
}

/** The contact clicks the link of its latest unconfirmed mail: created or updated, added to the lists. */
export function confirmDoubleOptIn(account: BrevoAccount, rawEmail: string): BrevoContact {
  const email = normaliseEmail(rawEmail);
  const request = doiRequests(account)
    .filter((r) => r.email === email && r.confirmedAt === undefined)
    .at(-1);
  if (!email || !request) throw new Error(`Brevo sandbox: no pending double opt-in for ${rawEmail}`);
  const existing = account.contacts.get(email);
  const write = {
    attributes: request.attributes,
    listIds: request.includeListIds.filter((id) => account.lists.has(id)),
    unlinkListIds: request.excludeListIds.filter((id) => account.lists.has(id)),
  };
  const prepared = prepareWrite(account, write, existing, "create");
  if (isFailure(prepared)) throw new Error(`Brevo sandbox: confirmation failed: ${prepared.message}`);
  const contact = existing ?? createContact(account, email);
  applyWrite(account, contact, write, prepared, "DOI confirmation");
  request.confirmedAt = Date.now();
  return contact;
}

export function mountDoiRoutes(api: Hono<BrevoEnv>): void {
  api.post("/contacts/doubleOptinConfirmation", async (c) => {
    const account = c.get("account");
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    if (body.email === undefined)
      return sendFailure(c, failure(400, "missing_parameter", "email is missing"));
    const email = normaliseEmail(body.email);
    if (!email) return sendFailure(c, failure(400, "invalid_parameter", "Invalid email address"));
    const includeListIds = positiveIds(body.includeListIds);
    if (!includeListIds || includeListIds.length === 0) {
      return sendFailure(c, failure(400, "missing_parameter", "includeListIds is missing"));
    }
    const excludeListIds = body.excludeListIds === undefined ? [] : positiveIds(body.excludeListIds);
    if (!excludeListIds) {
      return sendFailure(
        c,
        failure(400, "invalid_parameter", "excludeListIds should be an array of integers"),
      );
    }
    const unknown = [...includeListIds, ...excludeListIds].filter((id) => !account.lists.has(id));
    if (unknown.length > 0) {
      return sendFailure(c, failure(400, "invalid_parameter", `Invalid list id(s): ${unknown.join(",")}`));
    }
    if (!Number.isInteger(body.templateId)) {
      return sendFailure(c, failure(400, "missing_parameter", "templateId is missing"));
    }
    // Brevo wants a DOI template: one whose content carries the {{ doubleoptin }} link.
    const template = account.templates.get(body.templateId as number);
    if (!template?.isActive || !template.htmlContent.includes("{{ doubleoptin }}")) {
      return sendFailure(
        c,
        failure(400, "invalid_parameter", "templateId should be an active double opt-in template"),
      );
    }
    if (typeof body.redirectionUrl !== "string" || !/^https?:\/\/\S+$/.test(body.redirectionUrl)) {
      return sendFailure(c, failure(400, "invalid_parameter", "redirectionUrl should be a valid URL"));
    }
    const attributes = (body.attributes ?? {}) as Record<string, unknown>;
    if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) {
      return sendFailure(c, failure(400, "invalid_parameter", "attributes should be an object"));
    }
    const existing = account.contacts.get(email);
    // Checked now, like the real endpoint's immediate 400s (an invalid or duplicate SMS).
    const prepared = prepareWrite(account, { attributes }, existing, "create");
    if (isFailure(prepared)) return sendFailure(c, prepared);
    doiRequests(account).push({
      email,
      templateId: template.id,
      includeListIds,
      excludeListIds,
      redirectionUrl: body.redirectionUrl,
      attributes: { ...attributes },
      at: Date.now(),
    });
    return c.body(null, existing ? 204 : 201);
  });
}
