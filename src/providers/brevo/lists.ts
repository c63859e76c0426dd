/**
 * Lists the bridge reads and owns. Bridge lists live in a folder "OFN": one list per tag
 * ("OFN: <tag>", brevoTagMode "lists") and one sync list for contacts written without joining the
 * audience (the import API needs a list, brevo.md §2.1). Neither is offered as an audience.
 */

import { UpstreamError } from "../../errors.js";
import type { Audience } from "../types.js";
import type { BrevoApi } from "./client.js";

export const FOLDER_NAME = "OFN";
export const tagListName = (tag: string): string => `OFN: ${tag}`;
/** No colon, so no tag can produce this name. Campaigns must never target it. */
export const SYNC_LIST_NAME = "OFN sync (not a mailing list)";
/** POST /contacts/lists/{id}/contacts/add and /remove: at most 150 addresses per call (spec). */
export const MEMBERS_PER_CALL = 150;
const PAGE = 50;

export interface ListSummary {
  id: number;
  name: string;
  uniqueSubscribers: number;
}

/** Every list of the account, 50 per page (Brevo's maximum). */
export async function readAllLists(api: BrevoApi): Promise<ListSummary[]> {
  const all: ListSummary[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await api.call("contacts", (sdk) =>
      sdk.contacts.getLists({ limit: PAGE, offset, sort: "asc" }),
    );
    const lists = page.lists ?? [];
    all.push(...lists.map((l) => ({ id: l.id, name: l.name, uniqueSubscribers: l.uniqueSubscribers })));
    if (lists.length < PAGE || all.length >= (page.count ?? 0)) return all;
  }
}

const isBridgeList = (name: string) => name === SYNC_LIST_NAME || name.startsWith(tagListName(""));

export async function listAudiences(api: BrevoApi): Promise<Audience[]> {
  return (await readAllLists(api))
    .filter((list) => !isBridgeList(list.name))
    .map((list) => ({ id: String(list.id), name: list.name, memberCount: list.uniqueSubscribers }));
}

/** List ids by name, read once per provider instance; created lists are added as they are made. */
export class ListDirectory {
  private byName?: Promise<Map<string, number>>;
  private folderId?: Promise<number>;
  private readonly creating = new Map<string, Promise<number>>();

  constructor(private readonly api: BrevoApi) {}

  private names(): Promise<Map<string, number>> {
    if (!this.byName) {
      const loading = readAllLists(this.api).then((lists) => {
        const map = new Map<string, number>();
        // Oldest first, so a duplicate name made by hand in Brevo never replaces the bridge's list.
        for (const list of lists) if (!map.has(list.name)) map.set(list.name, list.id);
        return map;
      });
      this.byName = loading;
      loading.catch(() => {
        if (this.byName === loading) this.byName = undefined;
      });
    }
    return this.byName;
  }

  async find(name: string): Promise<number | undefined> {
    return (await this.names()).get(name);
  }

  /** The list's id, creating it in the folder "OFN" when missing. */
  async ensure(name: string): Promise<number> {
    const known = await this.find(name);
    if (known !== undefined) return known;
    let pending = this.creating.get(name);
    if (!pending) {
      pending = this.create(name).finally(() => this.creating.delete(name));
      this.creating.set(name, pending);
    }
    return pending;
  }

  /** After a 404: the list was deleted in Brevo since it was read. */
  forget(name: string): void {
    void this.byName?.then((map) => map.delete(name));
  }

  private async create(name: string): Promise<number> {
    const folderId = await this.folder();
    // POST, but harmless to repeat only on 429; a repeated create after a 5xx could duplicate the list.
    const { id } = await this.api.call(
      "contacts",
      (sdk) => sdk.contacts.createList({ name, folderId }),
      "rate-limit",
    );
    (await this.names()).set(name, id);
    return id;
  }

  private folder(): Promise<number> {
    if (!this.folderId) {
      const loading = this.findOrCreateFolder();
      this.folderId = loading;
      loading.catch(() => {
        if (this.folderId === loading) this.folderId = undefined;
      });
    }
    return this.folderId;
  }

  private async findOrCreateFolder(): Promise<number> {
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.api.call("contacts", (sdk) =>
        sdk.contacts.getFolders({ limit: PAGE, offset, sort: "asc" }),
      );
      const folders = page.folders ?? [];
      const found = folders.find((f) => f.name === FOLDER_NAME);
      if (found) return found.id;
      if (folders.length < PAGE || offset + folders.length >= (page.count ?? 0)) break;
    }
    const { id } = await this.api.call(
      "contacts",
      (sdk) => sdk.contacts.createFolder({ name: FOLDER_NAME }),
      "rate-limit",
    );
    return id;
  }
}

/** Runs `task` over `items` with at most `concurrency` at once. */
export async function runEach<T>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/**
 * Adds or removes members, 150 per call. Returns the addresses whose change could not be made
 * (to be retried by the next sync). "Already in list / not in list" answers are successes.
 */
export async function changeMembers(
  api: BrevoApi,
  lists: ListDirectory,
  action: "add" | "remove",
  listName: string,
  emails: string[],
): Promise<string[]> {
  const failed: string[] = [];
  const batches: string[][] = [];
  for (let i = 0; i < emails.length; i += MEMBERS_PER_CALL)
    batches.push(emails.slice(i, i + MEMBERS_PER_CALL));
  const send = async (listId: number, batch: string[]) => {
    const body = { emails: batch };
    await api.call("contacts", (sdk) =>
      action === "add"
        ? sdk.contacts.addContactToList({ listId, body })
        : sdk.contacts.removeContactFromList({ listId, body }),
    );
  };
  await runEach(batches, 3, async (batch) => {
    try {
      const listId = action === "add" ? await lists.ensure(listName) : await lists.find(listName);
      if (listId === undefined) return;
      try {
        await send(listId, batch);
      } catch (error) {
        if (!(error instanceof UpstreamError) || error.options.status !== 404) throw error;
        lists.forget(listName);
        if (action === "remove") return;
        await send(await lists.ensure(listName), batch);
      }
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.options.authFailed) throw error;
      // Brevo answers 400 when no address of the call changed (all already in / out of the list).
      if (error.options.status === 400 && error.options.providerCode === "invalid_parameter") return;
      failed.push(...batch);
    }
  });
  return failed;
}
