/**
 * Contacts in one /batches call per chunk: one PUT member upsert per contact and, when its tags
 * change, one POST tags. The PUT carries `status_if_new` and never `status`, so existing members
 * (unsubscribed, cleaned, pending, ...) keep their status whatever the bridge sends.
 */
import { createHash } from "node:crypto";
import type {
  ConsentMode,
  ContactOutcome,
  ContactWriteOptions,
  FieldPreparation,
  MappedContact,
} from "../types.js";
import type { AudienceInfo } from "./audience.js";
import { type BatchOperation, type OperationResult, runBatch } from "./batches.js";
import type { McClient } from "./client.js";
import { isPermanentProblem, problemText, readProblem } from "./errors.js";
import { mergeFieldsFor } from "./merge-values.js";

export interface ContactDeps {
  client: McClient;
  audience: (audienceId: string) => Promise<AudienceInfo>;
  batchTimeoutMs: number;
}

// The member PUT is identified by the bare email; its tag update by this prefix (no valid
// address starts with "tags:", the colon needs quoting).
const TAGS = "tags:";

/** What a new member gets; like mc-woocommerce, "subscribed" on a double opt-in audience is "pending". */
export function newMemberStatus(consent: ConsentMode, doubleOptIn: boolean): string {
  if (consent === "non_marketing") return "transactional";
  if (consent === "double_opt_in" || doubleOptIn) return "pending";
  return "subscribed";
}

/** Mailchimp's member id: MD5 of the trimmed, lower-cased address. */
export function subscriberHash(email: string): string {
  return createHash("md5").update(email.trim().toLowerCase()).digest("hex");
}

/**
 * A contact that only has tags to take off (a customer who left OFN). No upsert for it: a PUT
 * would re-create someone the shop deleted or archived in Mailchimp.
 */
function removalOnly(c: MappedContact): boolean {
  return (
    c.tags.length === 0 &&
    c.removeTags.length > 0 &&
    !c.firstName &&
    !c.lastName &&
    !c.phone &&
    !c.code &&
    !c.address
  );
}

/** Tags compare case-insensitively: Mailchimp may change a tag's casing. */
function tagChanges(c: MappedContact): Array<{ name: string; status: "active" | "inactive" }> {
  const seen = new Set<string>();
  const changes: Array<{ name: string; status: "active" | "inactive" }> = [];
  const add = (name: string, status: "active" | "inactive") => {
    const trimmed = name.trim();
    if (!trimmed || seen.has(trimmed.toLowerCase())) return;
    seen.add(trimmed.toLowerCase());
    changes.push({ name: trimmed, status });
  };
  for (const tag of c.tags) add(tag, "active");
  for (const tag of c.removeTags) add(tag, "inactive");
  return changes;
}

function operationsFor(
  contact: MappedContact,
  listId: string,
  statusIfNew: string,
  info: AudienceInfo,
  available: FieldPreparation["available"],
): BatchOperation[] {
  const memberPath = `/lists/${listId}/members/${subscriberHash(contact.email)}`;
  const ops: BatchOperation[] = [];
  if (!removalOnly(contact)) {
    ops.push({
      method: "PUT",
      path: memberPath,
      operation_id: contact.email,
      // Required fields exist for signup forms; an OFN customer without a value for one must
      // still be imported (mc-woocommerce sets this on every write too).
      params: { skip_merge_validation: "true" },
      body: JSON.stringify({
        email_address: contact.email,
        status_if_new: statusIfNew,
        merge_fields: mergeFieldsFor(contact, info, available),
      }),
    });
  }
  const tags = tagChanges(contact);
  if (tags.length > 0) {
    ops.push({
      method: "POST",
      path: `${memberPath}/tags`,
      operation_id: `${TAGS}${contact.email}`,
      // is_syncing: tag-triggered automations do not fire for a sync.
      body: JSON.stringify({ tags, is_syncing: true }),
    });
  }
  return ops;
}

function failure(email: string, result: OperationResult, prefix = ""): ContactOutcome {
  const problem = readProblem(result.body);
  return {
    email,
    ok: false,
    error: `${prefix}${problemText(problem) || `HTTP ${result.statusCode}`}`,
    permanent: isPermanentProblem(result.statusCode, problem),
  };
}

function outcomeFor(
  contact: MappedContact,
  results: Map<string, OperationResult>,
  hasTags: boolean,
): ContactOutcome {
  const email = contact.email;
  const upsert = removalOnly(contact) ? undefined : results.get(email);
  if (!removalOnly(contact)) {
    if (!upsert) return { email, ok: false, error: "Mailchimp returned no result for this contact." };
    if (upsert.statusCode !== 200) return failure(email, upsert);
  }
  const memberStatus = upsert?.body.status;
  const status = typeof memberStatus === "string" ? memberStatus : undefined;
  if (hasTags) {
    const tagged = results.get(`${TAGS}${email}`);
    if (!tagged) return { email, ok: false, status, error: "Mailchimp returned no result for the tags." };
    // Nothing to take tags off when the member is not (or no longer) in the audience.
    const absent = tagged.statusCode === 404 && !upsert;
    if (tagged.statusCode >= 300 && !absent)
      return { ...failure(email, tagged, "Tags not updated: "), status };
  }
  return { email, ok: true, ...(status ? { status } : {}) };
}

export async function writeContacts(
  deps: ContactDeps,
  contacts: MappedContact[],
  fields: FieldPreparation,
  options: ContactWriteOptions,
): Promise<ContactOutcome[]> {
  if (contacts.length === 0) return [];
  const info = await deps.audience(options.audienceId);
  const statusIfNew = newMemberStatus(options.consent, info.doubleOptIn);
  const unique = new Map(contacts.map((c) => [c.email, c]));
  const operations: BatchOperation[] = [];
  const tagOps = new Map<string, BatchOperation>();
  for (const contact of unique.values()) {
    for (const op of operationsFor(contact, options.audienceId, statusIfNew, info, fields.available)) {
      operations.push(op);
      if (op.operation_id.startsWith(TAGS)) tagOps.set(contact.email, op);
    }
  }
  const batch = { timeoutMs: deps.batchTimeoutMs };
  const results = await runBatch(deps.client, operations, batch);
  // Mailchimp does not promise to run a batch's operations in order: a tag update that reached a
  // member before its creation gets one more go, in a second (small) batch.
  const late = [...tagOps].flatMap(([email, op]) =>
    results.get(op.operation_id)?.statusCode === 404 && results.get(email)?.statusCode === 200 ? [op] : [],
  );
  if (late.length > 0) {
    for (const [id, result] of await runBatch(deps.client, late, batch)) results.set(id, result);
  }
  options.onProgress?.(unique.size);
  return [...unique.values()].map((c) => outcomeFor(c, results, tagOps.has(c.email)));
}
