/** /contacts, /contacts/{identifier} and /contacts/batch. */
import type { Hono } from "hono";
import type { BrevoEnv } from "./http.js";
import { notFound, page, paging, positiveIds, readObject, sendFailure } from "./http.js";
import { contactJson, findContact } from "./lookup.js";
import type { ContactWrite, Failure } from "./store.js";
import { applyWrite, createContact, deleteContact, failure, isFailure, prepareWrite } from "./store.js";
import { normaliseEmail, normalisePhone, parseSince } from "./values.js";

/** The write fields of a create/update/batch item, type-checked as Brevo does. */
export function parseWrite(body: Record<string, unknown>): ContactWrite | Failure {
  const write: ContactWrite = {};
  if (body.attributes !== undefined) {
    if (typeof body.attributes !== "object" || body.attributes === null || Array.isArray(body.attributes)) {
      return failure(400, "invalid_parameter", "attributes should be an object");
    }
    write.attributes = body.attributes as Record<string, unknown>;
  }
  for (const key of ["listIds", "unlinkListIds"] as const) {
    if (body[key] === undefined) continue;
    const ids = positiveIds(body[key]);
    if (!ids) return failure(400, "invalid_parameter", `${key} should be an array of integers`);
    write[key] = ids;
  }
  for (const key of ["emailBlacklisted", "smsBlacklisted"] as const) {
    if (body[key] === undefined) continue;
    if (typeof body[key] !== "boolean") return failure(400, "invalid_parameter", `${key} should be boolean`);
    write[key] = body[key];
  }
  if (body.ext_id !== undefined && body.ext_id !== null) write.extId = String(body.ext_id);
  return write;
}

export function mountContactRoutes(api: Hono<BrevoEnv>): void {
  api.post("/contacts", async (c) => {
    const account = c.get("account");
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    if (body.email === undefined) {
      return sendFailure(
        c,
        failure(
          400,
          "missing_parameter",
          "email is required (the sandbox models contacts with an email only)",
        ),
      );
    }
    const email = normaliseEmail(body.email);
    if (!email) return sendFailure(c, failure(400, "invalid_parameter", "Invalid email address"));
    const existing = account.contacts.get(email);
    if (existing && body.updateEnabled !== true) {
      return sendFailure(
        c,
        failure(
          400,
          "duplicate_parameter",
          "Unable to create contact, email is already associated with another Contact",
          { duplicate_identifiers: ["email"] },
        ),
      );
    }
    const write = parseWrite(body);
    if (isFailure(write)) return sendFailure(c, write);
    const prepared = prepareWrite(account, write, existing, "create");
    if (isFailure(prepared)) return sendFailure(c, prepared);
    const contact = existing ?? createContact(account, email);
    applyWrite(account, contact, write, prepared, "POST /contacts");
    return existing ? c.body(null, 204) : c.json({ id: contact.id }, 201);
  });

  api.get("/contacts", (c) => {
    const account = c.get("account");
    const p = paging(c, 50, 1000);
    if (isFailure(p)) return sendFailure(c, p);
    const modifiedSince = parseSince(c.req.query("modifiedSince"));
    const createdSince = parseSince(c.req.query("createdSince"));
    const listIds = (c.req.queries("listIds") ?? []).flatMap((v) => v.split(",")).map(Number);
    let contacts = [...account.contacts.values()];
    if (modifiedSince !== undefined) contacts = contacts.filter((x) => x.modifiedAt > modifiedSince);
    if (createdSince !== undefined) contacts = contacts.filter((x) => x.createdAt > createdSince);
    if (listIds.length > 0) contacts = contacts.filter((x) => x.listIds.some((id) => listIds.includes(id)));
    return c.json({ contacts: page(contacts, p).map(contactJson), count: contacts.length });
  });

  api.post("/contacts/batch", async (c) => {
    const account = c.get("account");
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    if (!Array.isArray(body.contacts) || body.contacts.length === 0) {
      return sendFailure(c, failure(400, "missing_parameter", "contacts is missing"));
    }
    const items = body.contacts as unknown[];
    const found = [];
    const missing: number[] = [];
    for (const [index, raw] of items.entries()) {
      const item = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
      const identifiers = (["email", "id", "sms"] as const).filter((k) => item[k] !== undefined);
      if (identifiers.length !== 1) {
        return sendFailure(
          c,
          failure(400, "invalid_parameter", `Pass exactly one of email, id or sms for index ${index}`),
        );
      }
      const contact =
        item.email !== undefined
          ? account.contacts.get(String(item.email).trim().toLowerCase())
          : item.id !== undefined
            ? account.contactsById.get(Number(item.id))
            : account.contactsBySms.get(normalisePhone(item.sms) ?? "");
      if (!contact) missing.push(index);
      else found.push({ contact, item });
    }
    // brevo.md §2.4: one unknown contact fails the whole batch, and nothing is created.
    if (missing.length > 0) return notFound(c, `No contact found for indexes ${missing.join(",")}`);
    const planned = [];
    for (const { contact, item } of found) {
      const write = parseWrite(item);
      if (isFailure(write)) return sendFailure(c, write);
      const prepared = prepareWrite(account, write, contact, "update");
      if (isFailure(prepared)) return sendFailure(c, prepared);
      planned.push({ contact, write, prepared });
    }
    for (const { contact, write, prepared } of planned) {
      applyWrite(account, contact, write, prepared, "POST /contacts/batch");
    }
    return c.body(null, 204);
  });

  api.get("/contacts/:identifier", (c) => {
    const contact = findContact(c.get("account"), c.req.param("identifier"), c.req.query("identifierType"));
    if (!contact) return notFound(c, "Contact does not exist");
    return c.json({ ...contactJson(contact), statistics: {} });
  });

  api.put("/contacts/:identifier", async (c) => {
    const account = c.get("account");
    const contact = findContact(account, c.req.param("identifier"), c.req.query("identifierType"));
    if (!contact) return notFound(c, "Contact does not exist");
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    const write = parseWrite(body);
    if (isFailure(write)) return sendFailure(c, write);
    const prepared = prepareWrite(account, write, contact, "update");
    if (isFailure(prepared)) return sendFailure(c, prepared);
    applyWrite(account, contact, write, prepared, "PUT /contacts/{identifier}");
    return c.body(null, 204);
  });

  api.delete("/contacts/:identifier", (c) => {
    const account = c.get("account");
    const contact = findContact(account, c.req.param("identifier"), c.req.query("identifierType"));
    if (!contact) return notFound(c, "Contact does not exist");
    deleteContact(account, contact);
    return c.body(null, 204);
  });
}
