/**
 * writeContacts for Brevo. The consent rule (DESIGN.md invariant 1, brevo.md §4): no write ever
 * carries `emailBlacklisted` (false un-blocklists), EMAIL is never changed, and only new contacts
 * get the shop's consent mode:
 * - subscribed: one import into the audience list;
 * - non_marketing: one import into the bridge's sync list (the import API needs a list);
 * - double_opt_in: existing contacts imported into the sync list (attributes only), new ones
 *   mailed a confirmation and added to the audience by Brevo when they click.
 * Tag lists ("lists" mode) only receive contacts that are, or are being put, in the audience, so
 * a campaign to a tag list never reaches someone outside the audience.
 */
import { UpstreamError } from "../../errors.js";
import type { ContactOutcome, ContactWriteOptions, FieldPreparation, MappedContact } from "../types.js";
import type { BrevoApi } from "./client.js";
import { checkDoiSettings, type DoiRequest, lookupContacts, sendConfirmations } from "./doi.js";
import { type AttributeNames, contactAttributes } from "./fields.js";
import { importRows } from "./import.js";
import { changeMembers, type ListDirectory, runEach, SYNC_LIST_NAME, tagListName } from "./lists.js";

export interface WriteContext {
  api: BrevoApi;
  lists: ListDirectory;
  names(): Promise<AttributeNames>;
}

type Outcome = Omit<ContactOutcome, "email">;

/** Nothing to write but tags to take off: a customer gone from OFN. Never imported, never mailed. */
const onlyRemovesTags = (c: MappedContact) =>
  !c.firstName && !c.lastName && !c.phone && !c.code && c.tags.length === 0 && c.removeTags.length > 0;

export async function writeBrevoContacts(
  ctx: WriteContext,
  input: MappedContact[],
  fields: FieldPreparation,
  options: ContactWriteOptions,
): Promise<ContactOutcome[]> {
  const audienceId = Number(options.audienceId);
  if (!Number.isInteger(audienceId) || audienceId <= 0) {
    throw new UpstreamError("brevo", "The chosen audience is not a Brevo list: choose the list again.", {
      retryable: false,
      permanent: true,
    });
  }
  const tagMode = options.brevoTagMode ?? "attribute";
  const names = await ctx.names();
  const contacts = [...new Map(input.map((c) => [c.email, c])).values()];
  const outcomes = new Map<string, Outcome>();
  const failed = (email: string, error: string, permanent = false) =>
    outcomes.set(email, { ok: false, error, permanent });
  let written = 0;
  const progress = (n: number) => {
    written += n;
    options.onProgress?.(written);
  };

  const toWrite = contacts.filter((c) => !onlyRemovesTags(c));
  progress(contacts.length - toWrite.length);
  const rowOf = (c: MappedContact) => ({
    email: c.email,
    attributes: contactAttributes(c, names, fields.available, tagMode),
  });
  /** Emails that may join tag lists once their write succeeded. */
  const audienceMembers = new Set<string>();
  let imported = toWrite;
  const confirmations: DoiRequest[] = [];
  if (options.consent === "subscribed") for (const c of toWrite) audienceMembers.add(c.email);
  const doi =
    options.consent === "double_opt_in" && toWrite.length > 0
      ? await checkDoiSettings(ctx.api, options.brevoDoiTemplateId, options.brevoDoiRedirectUrl)
      : undefined;
  if (doi) {
    const lookup = await lookupContacts(
      ctx.api,
      toWrite.map((c) => c.email),
    );
    for (const [email, error] of lookup.failed) failed(email, error);
    for (const [email, known] of lookup.existing) {
      if (known.listIds.includes(audienceId)) audienceMembers.add(email);
      if (known.blocklisted) outcomes.set(email, { ok: true, status: "blocklisted" });
    }
    imported = toWrite.filter((c) => lookup.existing.has(c.email));
    const fresh = new Set(lookup.fresh);
    for (const c of toWrite.filter((x) => fresh.has(x.email))) {
      const tagLists = tagMode === "lists" ? await ensureAll(ctx.lists, c.tags.map(tagListName)) : [];
      confirmations.push({
        email: c.email,
        attributes: rowOf(c).attributes,
        includeListIds: [audienceId, ...tagLists],
      });
    }
  }

  if (imported.length > 0) {
    const importList = options.consent === "subscribed" ? audienceId : await ctx.lists.ensure(SYNC_LIST_NAME);
    const rejected = await importRows(ctx.api, imported.map(rowOf), importList, progress);
    for (const [email, problem] of rejected)
      failed(email, problem.error ?? "not imported", problem.permanent);
  }
  // Mails after the import: a run that throws (import failed, timed out) and starts over then
  // has mailed nobody twice. Each mail's own failure becomes that contact's outcome.
  if (doi && confirmations.length > 0) {
    const refused = await sendConfirmations(ctx.api, confirmations, doi, () => progress(1));
    for (const r of confirmations) {
      const problem = refused.get(r.email);
      if (problem) failed(r.email, problem.error, problem.permanent);
      else outcomes.set(r.email, { ok: true, status: "pending" });
    }
  }

  const succeeded = (email: string) => outcomes.get(email)?.ok !== false;
  if (tagMode === "lists") {
    await syncTagLists(ctx, contacts, (c) => succeeded(c.email) && audienceMembers.has(c.email), failed);
  } else if (names.tags && fields.available.has("tagsAttribute")) {
    const cleared = contacts.filter(
      (c) => c.tags.length === 0 && c.removeTags.length > 0 && succeeded(c.email),
    );
    await clearTagsAttribute(ctx.api, names.tags, cleared, failed);
  }
  return contacts.map((c) => ({ email: c.email, ...(outcomes.get(c.email) ?? { ok: true }) }));
}

async function ensureAll(lists: ListDirectory, names: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const name of names) ids.push(await lists.ensure(name));
  return ids;
}

/** Adds audience members to their tag lists and takes everyone off the lists of removed tags. */
async function syncTagLists(
  ctx: WriteContext,
  contacts: MappedContact[],
  mayJoin: (c: MappedContact) => boolean,
  failed: (email: string, error: string) => void,
): Promise<void> {
  const adds = new Map<string, string[]>();
  const removes = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, tag: string, email: string) => {
    const list = map.get(tag) ?? [];
    list.push(email);
    map.set(tag, list);
  };
  for (const c of contacts) {
    if (mayJoin(c)) for (const tag of c.tags) push(adds, tag, c.email);
    for (const tag of c.removeTags) if (!c.tags.includes(tag)) push(removes, tag, c.email);
  }
  const jobs = [
    ...[...adds].map(([tag, emails]) => ({ action: "add" as const, tag, emails })),
    ...[...removes].map(([tag, emails]) => ({ action: "remove" as const, tag, emails })),
  ];
  for (const job of jobs) {
    const missed = await changeMembers(ctx.api, ctx.lists, job.action, tagListName(job.tag), job.emails);
    const verb = job.action === "add" ? "add to" : "remove from";
    for (const email of missed) failed(email, `Could not ${verb} the Brevo list "${tagListName(job.tag)}".`);
  }
}

/**
 * OFN_TAGS of contacts whose last tag went away. An import cannot clear a value (empty cells are
 * ignored with emptyContactsAttributes false, which must stay false), so these few are updated one
 * by one; a contact Brevo does not know (404) has nothing to clear.
 */
async function clearTagsAttribute(
  api: BrevoApi,
  attribute: string,
  contacts: MappedContact[],
  failed: (email: string, error: string) => void,
): Promise<void> {
  await runEach(contacts, 4, async (c) => {
    try {
      await api.call("contacts", (sdk) =>
        sdk.contacts.updateContact({
          identifier: c.email,
          identifierType: "email_id",
          attributes: { [attribute]: "" },
        }),
      );
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.options.authFailed) throw error;
      if (error.options.status !== 404) failed(c.email, error.message);
    }
  });
}
