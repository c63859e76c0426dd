/**
 * POST /lists/{id}: synchronous batch subscribe. Always 200 once the request itself is valid;
 * per-member failures go to `errors[]`, which is why a 200 here is not success.
 */
import { z } from "zod";
import { memberJson } from "./member-json.js";
import { batchItemSchema, type MemberWrite } from "./member-rules.js";
import { addMember, changeMember } from "./members.js";
import { invalidResource, McProblem, parseWith, SCHEMA_DETAIL } from "./problems.js";
import { type MailchimpStore, subscriberHash } from "./store.js";
import type { MailchimpList, Member } from "./types.js";

const MAX_MEMBERS = 500;

const batchSchema = z.looseObject({
  members: z.array(z.unknown()),
  update_existing: z.boolean().optional(),
  sync_tags: z.boolean().optional(),
});

interface BatchError {
  email_address: string;
  error: string;
  error_code: "ERROR_CONTACT_EXISTS" | "ERROR_GENERIC";
  field: string;
  field_message: string;
}

export interface BatchSubscribeOptions {
  skipMergeValidation: boolean;
  skipDuplicateCheck: boolean;
}

function genericError(email: string, error: unknown): BatchError {
  if (!(error instanceof McProblem)) throw error;
  const first = error.errors?.[0];
  return {
    email_address: email,
    error: error.detail,
    error_code: "ERROR_GENERIC",
    field: first?.field ?? "",
    field_message: first?.message ?? "",
  };
}

export function batchSubscribe(
  store: MailchimpStore,
  list: MailchimpList,
  body: unknown,
  opts: BatchSubscribeOptions,
): Record<string, unknown> {
  const input = parseWith(batchSchema, body);
  if (input.members.length > MAX_MEMBERS) {
    throw invalidResource(SCHEMA_DETAIL, [
      { field: "members", message: `Maximum number of members per request is ${MAX_MEMBERS}.` },
    ]);
  }
  const created: Member[] = [];
  const updated: Member[] = [];
  const errors: BatchError[] = [];
  const seen = new Map<string, number>();
  const items: Array<{ item?: MemberWrite; email: string; problem?: BatchError }> = input.members.map(
    (raw) => {
      const email =
        typeof (raw as { email_address?: unknown })?.email_address === "string"
          ? (raw as { email_address: string }).email_address.trim()
          : "";
      try {
        return { item: parseWith(batchItemSchema, raw), email };
      } catch (error) {
        return { email, problem: genericError(email, error) };
      }
    },
  );
  for (const { email } of items) {
    const hash = subscriberHash(email);
    seen.set(hash, (seen.get(hash) ?? 0) + 1);
  }
  const handled = new Set<string>();
  for (const { item, email, problem } of items) {
    if (problem || !item) {
      errors.push(problem!);
      continue;
    }
    const hash = subscriberHash(email);
    if ((seen.get(hash) ?? 0) > 1) {
      // With skip_duplicate_check the first appearance wins silently; without it every copy fails.
      if (opts.skipDuplicateCheck && !handled.has(hash)) handled.add(hash);
      else {
        if (!opts.skipDuplicateCheck) errors.push(duplicateError(email));
        continue;
      }
    }
    try {
      const existing = list.members.get(hash);
      if (existing && existing.status !== "archived") {
        if (!input.update_existing) {
          errors.push(contactExists(email));
          continue;
        }
        changeMember(list, existing, item, opts.skipMergeValidation);
        updated.push(existing);
      } else {
        if (!item.status) {
          throw invalidResource(SCHEMA_DETAIL, [
            { field: "status", message: "Status is required for new members." },
          ]);
        }
        created.push(
          addMember(store, list, { ...item, status: item.status }, opts.skipMergeValidation, existing),
        );
      }
    } catch (error) {
      errors.push(genericError(email, error));
    }
  }
  return {
    new_members: created.map((m) => memberJson(list, m)),
    updated_members: updated.map((m) => memberJson(list, m)),
    errors,
    total_created: created.length,
    total_updated: updated.length,
    error_count: errors.length,
    _links: [],
  };
}

function contactExists(email: string): BatchError {
  return {
    email_address: email,
    error: `${email} is already a list member, do you want to update? please provide update_existing:true in the request body`,
    error_code: "ERROR_CONTACT_EXISTS",
    field: "email_address",
    field_message: "",
  };
}

function duplicateError(email: string): BatchError {
  return {
    email_address: email,
    error: `${email} appears more than once in this request; send skip_duplicate_check=true to keep the first.`,
    error_code: "ERROR_GENERIC",
    field: "email_address",
    field_message: "Duplicate email address",
  };
}
