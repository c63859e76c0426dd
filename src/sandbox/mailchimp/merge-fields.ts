import { z } from "zod";
import type { FieldError } from "./problems.js";
import { invalidResource, parseWith, SCHEMA_DETAIL } from "./problems.js";
import { type MailchimpList, MERGE_FIELD_TYPES, type MergeField, type MergeFieldType } from "./types.js";

/** What a new audience gets; every one of them may be renamed or deleted by the shop. */
export const DEFAULT_MERGE_FIELDS: Array<{ tag: string; name: string; type: MergeFieldType }> = [
  { tag: "FNAME", name: "First Name", type: "text" },
  { tag: "LNAME", name: "Last Name", type: "text" },
  { tag: "ADDRESS", name: "Address", type: "address" },
  { tag: "PHONE", name: "Phone Number", type: "phone" },
];

export function makeMergeField(
  list: MailchimpList,
  f: {
    tag: string;
    name: string;
    type: MergeFieldType;
    required?: boolean;
    options?: Record<string, unknown>;
  },
): MergeField {
  const field: MergeField = {
    mergeId: list.mergeFields.reduce((max, m) => Math.max(max, m.mergeId), 0) + 1,
    tag: f.tag,
    name: f.name,
    type: f.type,
    required: f.required ?? false,
    defaultValue: "",
    public: false,
    displayOrder: list.mergeFields.length + 2,
    options: f.options ?? (f.type === "phone" ? { phone_format: "none" } : {}),
    helpText: "",
  };
  list.mergeFields.push(field);
  return field;
}

const createSchema = z.looseObject({
  name: z.string().min(1),
  type: z.enum(MERGE_FIELD_TYPES),
  tag: z.string().optional(),
  required: z.boolean().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** POST /lists/{id}/merge-fields: tags are at most 10 characters, upper-case letters, digits, "_". */
export function createMergeField(list: MailchimpList, body: unknown): MergeField {
  const input = parseWith(createSchema, body);
  const tag = (input.tag ?? input.name.replace(/[^A-Za-z0-9]/g, "").slice(0, 10)).toUpperCase();
  if (!/^[A-Z][A-Z0-9_]{0,9}$/.test(tag)) {
    throw invalidResource(SCHEMA_DETAIL, [
      { field: "tag", message: "The tag must be 10 characters or fewer: letters, digits and underscores." },
    ]);
  }
  if (list.mergeFields.some((m) => m.tag === tag)) {
    throw invalidResource(`A Merge Field with the tag "${tag}" already exists for this list.`);
  }
  return makeMergeField(list, { ...input, tag });
}

export function mergeFieldJson(list: MailchimpList, f: MergeField): Record<string, unknown> {
  return {
    merge_id: f.mergeId,
    tag: f.tag,
    name: f.name,
    type: f.type,
    required: f.required,
    default_value: f.defaultValue,
    public: f.public,
    display_order: f.displayOrder,
    options: f.options,
    help_text: f.helpText,
    list_id: list.id,
    _links: [],
  };
}

/** The member's merge_fields as the API shows them: every list tag, "" when never written. */
export function memberMergeFields(
  list: MailchimpList,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of list.mergeFields) out[f.tag] = values[f.tag] ?? "";
  return out;
}

const ADDRESS_PARTS = ["addr1", "city", "state", "zip"] as const;

/**
 * Validates `merge_fields` of a member write and returns the normalised values to store.
 * `null` is a schema error (send "" to clear); unknown tags, bad numbers and incomplete addresses
 * are "Your merge fields were invalid."; required fields are enforced unless skipped.
 */
export function validateMergeFields(
  list: MailchimpList,
  input: unknown,
  mode: "create" | "update",
  skipMergeValidation: boolean,
): Record<string, unknown> {
  if (input === undefined) input = {};
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    throw invalidResource(SCHEMA_DETAIL, [
      { field: "merge_fields", message: `Schema describes object, ${typeof input} found instead` },
    ]);
  }
  const entries = Object.entries(input as Record<string, unknown>);
  const nulls = entries.filter(([, v]) => v === null).map(([k]) => k);
  if (nulls.length > 0) {
    throw invalidResource(
      SCHEMA_DETAIL,
      nulls.map((k) => ({
        field: `merge_fields.${k}`,
        message: "Data did not match any of the schemas described in anyOf.",
      })),
    );
  }
  const errors: FieldError[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const def = list.mergeFields.find((f) => f.tag === key.toUpperCase());
    if (!def) {
      if (!skipMergeValidation)
        errors.push({ field: key, message: `The merge field ${key} does not exist.` });
      continue;
    }
    const normalised = normaliseValue(def, value);
    if (normalised.error) errors.push({ field: def.tag, message: normalised.error });
    else out[def.tag] = normalised.value;
  }
  if (!skipMergeValidation) {
    for (const def of list.mergeFields.filter((f) => f.required)) {
      const provided = def.tag in out;
      const empty = out[def.tag] === "" || (mode === "create" && !provided);
      if (empty && !errors.some((e) => e.field === def.tag)) {
        errors.push({ field: def.tag, message: "Please enter a value" });
      }
    }
  }
  if (errors.length > 0) throw invalidResource("Your merge fields were invalid.", errors);
  return out;
}

function normaliseValue(def: MergeField, value: unknown): { value?: unknown; error?: string } {
  if (value === "") return { value: "" };
  if (def.type === "address") {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      return { error: "Please enter a complete address" };
    }
    const address = value as Record<string, unknown>;
    const complete = ADDRESS_PARTS.every((p) => typeof address[p] === "string" && address[p] !== "");
    if (!complete) return { error: "Please enter a complete address" };
    return {
      value: {
        addr1: address.addr1,
        addr2: typeof address.addr2 === "string" ? address.addr2 : "",
        city: address.city,
        state: address.state,
        zip: address.zip,
        country: typeof address.country === "string" && address.country !== "" ? address.country : "US",
      },
    };
  }
  if (typeof value === "object")
    return { error: "Data did not match any of the schemas described in anyOf." };
  if (def.type === "number") {
    const n = Number(value);
    return Number.isFinite(n) ? { value: n } : { error: "Please enter a number" };
  }
  return { value: String(value) };
}
