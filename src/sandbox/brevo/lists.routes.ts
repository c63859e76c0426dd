/** Lists, folders, list membership and attributes (all in the /contacts rate bucket). */
import type { Hono } from "hono";
import type { BrevoContext, BrevoEnv } from "./http.js";
import { notFound, page, paging, readObject, sendFailure } from "./http.js";
import { contactJson } from "./lookup.js";
import { addToList, createList, failure, isFailure, removeFromList } from "./store.js";
import type { BrevoAccount, BrevoAttribute, BrevoContact, BrevoList } from "./types.js";
import { iso, parseSince } from "./values.js";

/** Brevo is zeroing totalSubscribers/totalBlacklisted (brevo.md §2.5); only uniqueSubscribers counts. */
const listJson = (list: BrevoList) => ({
  id: list.id,
  name: list.name,
  totalBlacklisted: 0,
  totalSubscribers: 0,
  uniqueSubscribers: list.members.size,
  folderId: list.folderId,
});

function listFrom(c: BrevoContext): BrevoList | Response {
  const id = Number(c.req.param("listId"));
  if (!Number.isInteger(id)) return sendFailure(c, failure(400, "invalid_parameter", "Invalid list id"));
  return c.get("account").lists.get(id) ?? notFound(c, "List ID does not exist");
}

/** Resolves the emails / ids / extIds of an add or remove body to contacts (undefined = unknown). */
function membershipTargets(account: BrevoAccount, body: Record<string, unknown>) {
  const pick = (key: "emails" | "ids" | "extIds", find: (v: never) => BrevoContact | undefined) =>
    Array.isArray(body[key])
      ? (body[key] as never[]).map((value) => ({ value: value as unknown, contact: find(value) }))
      : undefined;
  return (
    pick("emails", (v: string) => account.contacts.get(String(v).trim().toLowerCase())) ??
    pick("ids", (v: number) => account.contactsById.get(Number(v))) ??
    pick("extIds", (v: string) => account.contactsByExtId.get(String(v)))
  );
}

export function mountListRoutes(api: Hono<BrevoEnv>): void {
  api.get("/contacts/lists", (c) => {
    const p = paging(c, 10, 50);
    if (isFailure(p)) return sendFailure(c, p);
    const lists = [...c.get("account").lists.values()];
    return c.json({ lists: page(lists, p).map(listJson), count: lists.length });
  });

  api.post("/contacts/lists", async (c) => {
    const account = c.get("account");
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    if (typeof body.name !== "string" || body.name === "") {
      return sendFailure(c, failure(400, "missing_parameter", "name is missing"));
    }
    if (!Number.isInteger(body.folderId)) {
      return sendFailure(c, failure(400, "missing_parameter", "folderId is missing"));
    }
    if (!account.folders.has(body.folderId as number)) {
      return sendFailure(c, failure(400, "invalid_parameter", "Folder ID does not exist"));
    }
    const list = createList(account, { name: body.name, folderId: body.folderId as number });
    return c.json({ id: list.id }, 201);
  });

  api.get("/contacts/lists/:listId", (c) => {
    const list = listFrom(c);
    if (list instanceof Response) return list;
    return c.json({ ...listJson(list), createdAt: iso(list.createdAt), dynamicList: false });
  });

  api.put("/contacts/lists/:listId", async (c) => {
    const list = listFrom(c);
    if (list instanceof Response) return list;
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    if (typeof body.name === "string") list.name = body.name;
    if (Number.isInteger(body.folderId)) list.folderId = body.folderId as number;
    return c.body(null, 204);
  });

  api.delete("/contacts/lists/:listId", (c) => {
    const account = c.get("account");
    const list = listFrom(c);
    if (list instanceof Response) return list;
    for (const id of list.members) {
      const contact = account.contactsById.get(id);
      if (contact) contact.listIds = contact.listIds.filter((l) => l !== list.id);
    }
    account.lists.delete(list.id);
    return c.body(null, 204);
  });

  api.get("/contacts/lists/:listId/contacts", (c) => {
    const account = c.get("account");
    const list = listFrom(c);
    if (list instanceof Response) return list;
    const p = paging(c, 50, 500);
    if (isFailure(p)) return sendFailure(c, p);
    const since = parseSince(c.req.query("modifiedSince"));
    let members = [...list.members].flatMap((id) => account.contactsById.get(id) ?? []);
    if (since !== undefined) members = members.filter((m) => m.modifiedAt > since);
    return c.json({ contacts: page(members, p).map(contactJson), count: members.length });
  });

  for (const action of ["add", "remove"] as const) {
    api.post(`/contacts/lists/:listId/contacts/${action}`, async (c) => {
      const account = c.get("account");
      const list = listFrom(c);
      if (list instanceof Response) return list;
      const body = await readObject(c);
      if (isFailure(body)) return sendFailure(c, body);
      if (action === "remove" && body.all === true) {
        const total = list.members.size;
        for (const id of [...list.members]) {
          const contact = account.contactsById.get(id);
          if (contact) removeFromList(account, contact, list.id);
        }
        return c.json({ contacts: { total } }, 201);
      }
      const targets = membershipTargets(account, body);
      if (!targets)
        return sendFailure(c, failure(400, "missing_parameter", "emails, ids or extIds is missing"));
      // brevo.md §2.5: at most 150 per call; bulk belongs to /contacts/import.
      if (targets.length > 150) {
        return sendFailure(c, failure(400, "out_of_range", "You can pass at most 150 contacts per request"));
      }
      const success: unknown[] = [];
      const failed: unknown[] = [];
      for (const { value, contact } of targets) {
        const changed =
          contact !== undefined &&
          (action === "add"
            ? addToList(account, contact, list.id)
            : removeFromList(account, contact, list.id));
        (changed ? success : failed).push(value);
      }
      if (success.length === 0) {
        const verb = action === "add" ? "already in list" : "already removed from list";
        return sendFailure(c, failure(400, "invalid_parameter", `Contact ${verb} and/or does not exist`));
      }
      return c.json({ contacts: { success, failure: failed } }, 201);
    });
  }

  api.get("/contacts/folders", (c) => {
    const account = c.get("account");
    const p = paging(c, 10, 50);
    if (isFailure(p)) return sendFailure(c, p);
    const folders = [...account.folders.values()].map((f) => ({
      id: f.id,
      name: f.name,
      totalBlacklisted: 0,
      totalSubscribers: 0,
      uniqueSubscribers: [...account.lists.values()]
        .filter((l) => l.folderId === f.id)
        .reduce((n, l) => n + l.members.size, 0),
    }));
    return c.json({ folders: page(folders, p), count: folders.length });
  });

  api.post("/contacts/folders", async (c) => {
    const account = c.get("account");
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    if (typeof body.name !== "string" || body.name === "") {
      return sendFailure(c, failure(400, "missing_parameter", "name is missing"));
    }
    account.seq.folder += 1;
    account.folders.set(account.seq.folder, {
      id: account.seq.folder,
      name: body.name,
      createdAt: Date.now(),
    });
    return c.json({ id: account.seq.folder }, 201);
  });

  api.get("/contacts/attributes", (c) => c.json({ attributes: [...c.get("account").attributes.values()] }));

  api.post("/contacts/attributes/:category/:name", async (c) => {
    const account = c.get("account");
    const category = c.req.param("category") as BrevoAttribute["category"];
    if (!["normal", "transactional", "category", "calculated", "global"].includes(category)) {
      return sendFailure(c, failure(400, "invalid_parameter", "Invalid attribute category"));
    }
    const body = await readObject(c);
    if (isFailure(body)) return sendFailure(c, body);
    const name = c.req.param("name").toUpperCase();
    if (account.attributes.has(name)) {
      return sendFailure(c, failure(400, "duplicate_parameter", "Attribute name already exists"));
    }
    const attribute: BrevoAttribute = { name, category };
    if (category !== "calculated" && category !== "global") {
      attribute.type = typeof body.type === "string" ? body.type : "text";
    }
    if (Array.isArray(body.enumeration))
      attribute.enumeration = body.enumeration as BrevoAttribute["enumeration"];
    account.attributes.set(name, attribute);
    return c.body(null, 201);
  });
}
