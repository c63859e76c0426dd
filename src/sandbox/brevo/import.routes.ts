/** POST /contacts/import and the /processes endpoints that report on it. */
import type { Hono } from "hono";
import type { BrevoEnv } from "./http.js";
import { notFound, page, paging, positiveIds, sendFailure } from "./http.js";
import type { ImportOptions, ImportQueue, ImportRow } from "./import.js";
import { applyImport, csvRows, jsonRows, MAX_IMPORT_BYTES, processJson } from "./import.js";
import { createList, failure, isFailure } from "./store.js";
import type { BrevoProcess } from "./types.js";

const NO_IDENTIFIER =
  "We could not find any valid email or SMS or Contact ID in the file you uploaded. Please make sure that " +
  "the file contains a column with email addresses or SMS (e.g: +33xxxxxxxxx or 0033xxxxxxxxx where +33 is " +
  "the country code). Also check that you are not using space as a delimiter";

const flag = (value: unknown, fallback: boolean) => (typeof value === "boolean" ? value : fallback);

export function mountImportRoutes(api: Hono<BrevoEnv>, queue: ImportQueue): void {
  api.post("/contacts/import", async (c) => {
    const account = c.get("account");
    const text = await c.req.text();
    if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) {
      return sendFailure(
        c,
        failure(
          413,
          "out_of_range",
          "Maximum allowed body size is 10MB, please use fileUrl for larger imports",
        ),
      );
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return sendFailure(c, failure(400, "bad_request", "Input must be a valid JSON object"));
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return sendFailure(c, failure(400, "bad_request", "Input must be a valid JSON object"));
    }
    let rows: ImportRow[] | undefined;
    if (typeof body.fileBody === "string") rows = csvRows(body.fileBody);
    else if (Array.isArray(body.jsonBody)) rows = jsonRows(body.jsonBody);
    else if (typeof body.fileUrl === "string") {
      return sendFailure(
        c,
        failure(400, "invalid_parameter", "The sandbox does not fetch fileUrl; send fileBody or jsonBody"),
      );
    } else {
      return sendFailure(c, failure(400, "missing_parameter", "fileUrl, fileBody or jsonBody is missing"));
    }
    if (!rows?.some((r) => r.email !== undefined && r.email !== "")) {
      return sendFailure(c, failure(400, "invalid_parameter", NO_IDENTIFIER));
    }
    const newList = body.newList as { listName?: unknown; folderId?: unknown } | undefined;
    const listIds = body.listIds === undefined ? [] : positiveIds(body.listIds);
    if (!listIds)
      return sendFailure(c, failure(400, "invalid_parameter", "listIds should be an array of integers"));
    if (listIds.length === 0 && typeof newList?.listName !== "string") {
      return sendFailure(c, failure(400, "missing_parameter", "listIds or newList is mandatory"));
    }
    const unknown = listIds.filter((id) => !account.lists.has(id));
    if (unknown.length > 0) {
      return sendFailure(c, failure(400, "invalid_parameter", `Invalid list id(s): ${unknown.join(",")}`));
    }
    if (typeof newList?.listName === "string") {
      const folderId = typeof newList.folderId === "number" ? newList.folderId : 1;
      if (!account.folders.has(folderId)) {
        return sendFailure(c, failure(400, "invalid_parameter", "Folder ID does not exist"));
      }
      listIds.push(createList(account, { name: newList.listName, folderId }).id);
    }
    const options: ImportOptions = {
      listIds,
      updateExistingContacts: flag(body.updateExistingContacts, true),
      emptyContactsAttributes: flag(body.emptyContactsAttributes, false),
      emailBlacklist: flag(body.emailBlacklist, false),
      smsBlacklist: flag(body.smsBlacklist, false),
      disableNotification: flag(body.disableNotification, false),
    };
    account.seq.process += 1;
    const process: BrevoProcess = {
      id: account.seq.process,
      name: "IMPORTUSER",
      status: "queued",
      createdAt: Date.now(),
      reportBaseUrl: new URL(c.req.url).origin,
      options: { ...options, rows: rows.length },
    };
    account.processes.set(process.id, process);
    const parsed = rows;
    queue.enqueue(
      process,
      () => applyImport(account, parsed, options),
      () => {
        if (!options.disableNotification) account.notificationsSent += 1;
      },
    );
    return c.json({ processId: process.id }, 202);
  });

  api.get("/processes", (c) => {
    const account = c.get("account");
    const p = paging(c, 10, 50);
    if (isFailure(p)) return sendFailure(c, p);
    const processes = [...account.processes.values()];
    return c.json({
      processes: page(processes, p).map((x) => processJson(account, x)),
      count: processes.length,
    });
  });

  api.get("/processes/:processId", (c) => {
    const account = c.get("account");
    const process = account.processes.get(Number(c.req.param("processId")));
    if (!process) return notFound(c, "Process does not exist");
    return c.json(processJson(account, process));
  });
}
