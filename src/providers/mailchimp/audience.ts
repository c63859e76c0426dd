/**
 * What an audience can take: its merge fields (read first, because the shop may have renamed or
 * deleted the defaults) and whether it has double opt-in. prepareFields creates what is missing.
 */
import { z } from "zod";
import type { UpstreamError } from "../../errors.js";
import type { FieldPreparation } from "../types.js";
import { type McClient, readBody } from "./client.js";

export type ContactField = "firstName" | "lastName" | "phone" | "address" | "code";

export interface AudienceInfo {
  doubleOptIn: boolean;
  /** The merge tag to write each field to, for the fields the audience can take. */
  tags: Partial<Record<ContactField, string>>;
  /** PHONE's phone_format: "US" fields refuse numbers that are not (###) ###-####. */
  phoneFormat: string;
}

interface Wanted {
  field: ContactField;
  tag: string;
  name: string;
  /** Types our values fit into; the first is the one we create. */
  types: string[];
  label: string;
}

const WANTED: Wanted[] = [
  { field: "firstName", tag: "FNAME", name: "First Name", types: ["text"], label: "first names" },
  { field: "lastName", tag: "LNAME", name: "Last Name", types: ["text"], label: "last names" },
  { field: "phone", tag: "PHONE", name: "Phone Number", types: ["phone", "text"], label: "phone numbers" },
  { field: "address", tag: "ADDRESS", name: "Address", types: ["address"], label: "addresses" },
  { field: "code", tag: "OFNCODE", name: "OFN customer code", types: ["text"], label: "customer codes" },
];

const mergeFieldSchema = z.looseObject({
  tag: z.string(),
  name: z.string().optional(),
  type: z.string(),
  required: z.boolean().optional(),
  options: z.looseObject({ phone_format: z.string().optional() }).optional(),
});
type MergeField = z.infer<typeof mergeFieldSchema>;
const mergeFieldsSchema = z.looseObject({ merge_fields: z.array(mergeFieldSchema) });
const listSchema = z.looseObject({ id: z.string(), double_optin: z.boolean().optional() });

async function readAudience(
  client: McClient,
  audienceId: string,
): Promise<{ doubleOptIn: boolean; fields: MergeField[] }> {
  const [list, fields] = await Promise.all([
    client.call("idempotent", "reading the audience", (api) =>
      api.lists.getList(audienceId, { fields: ["id", "double_optin"] }),
    ),
    client.call("idempotent", "reading the audience fields", (api) =>
      api.lists.getListMergeFields(audienceId, { count: 1000 }),
    ),
  ]);
  return {
    doubleOptIn: readBody(listSchema, list, "the audience").double_optin ?? false,
    fields: readBody(mergeFieldsSchema, fields, "the audience fields").merge_fields,
  };
}

function infoFrom(doubleOptIn: boolean, fields: MergeField[]): AudienceInfo {
  const tags: AudienceInfo["tags"] = {};
  let phoneFormat = "";
  for (const wanted of WANTED) {
    const found = fields.find((f) => f.tag === wanted.tag);
    if (!found || !wanted.types.includes(found.type)) continue;
    tags[wanted.field] = wanted.tag;
    if (wanted.field === "phone")
      phoneFormat = found.type === "phone" ? (found.options?.phone_format ?? "") : "";
  }
  return { doubleOptIn, tags, phoneFormat };
}

/** Reads the audience without changing it (writeContacts without a prior prepareFields). */
export async function loadAudienceInfo(client: McClient, audienceId: string): Promise<AudienceInfo> {
  const { doubleOptIn, fields } = await readAudience(client, audienceId);
  return infoFrom(doubleOptIn, fields);
}

/** Creates the missing fields it can and warns about the rest, in words the shop can act on. */
export async function prepareAudience(
  client: McClient,
  audienceId: string,
): Promise<{ info: AudienceInfo; preparation: FieldPreparation }> {
  const { doubleOptIn, fields } = await readAudience(client, audienceId);
  const warnings: string[] = [];
  for (const wanted of WANTED) {
    const found = fields.find((f) => f.tag === wanted.tag);
    if (found) {
      if (!wanted.types.includes(found.type)) {
        warnings.push(
          `The Mailchimp field ${wanted.tag} is a "${found.type}" field, so ${wanted.label} are not sent. Change its type or delete it so the bridge can create it.`,
        );
      }
      continue;
    }
    try {
      const created = await client.call("refused-only", `creating the field ${wanted.tag}`, (api) =>
        api.lists.addListMergeField(audienceId, {
          tag: wanted.tag,
          name: wanted.name,
          type: wanted.types[0],
        }),
      );
      fields.push(readBody(mergeFieldSchema, created, "the new field"));
    } catch (error) {
      warnings.push(
        `The Mailchimp field ${wanted.tag} is missing and could not be created (${(error as UpstreamError).message}), so ${wanted.label} are not sent.`,
      );
    }
  }
  const info = infoFrom(doubleOptIn, fields);
  const filled = new Set(Object.values(info.tags));
  for (const field of fields) {
    if (field.required && !filled.has(field.tag)) {
      warnings.push(
        `The Mailchimp field "${field.name ?? field.tag}" (${field.tag}) is required, but the bridge has nothing to put in it: contacts are added with it empty.`,
      );
    }
  }
  const available: FieldPreparation["available"] = new Set(["email", "tags"]);
  for (const field of Object.keys(info.tags) as ContactField[]) available.add(field);
  return { info, preparation: { available, warnings } };
}
