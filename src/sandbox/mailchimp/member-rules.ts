/** Mailchimp's member rules: what looks fake, which status changes are refused, request shapes. */
import { z } from "zod";
import { McProblem } from "./problems.js";
import { type Member, WRITABLE_STATUSES, type WritableStatus } from "./types.js";

/** Top-level domains reserved by RFC 2606 / RFC 6761 plus "local": never deliverable. */
const FAKE_TLDS = new Set(["invalid", "test", "example", "localhost", "local"]);

/**
 * The simulator's deterministic stand-in for Mailchimp's "looks fake" heuristics: malformed
 * addresses, domains without a dot, and reserved top-level domains (.invalid, .test, ...).
 */
export function looksFake(email: string): boolean {
  const match = /^([^\s@]+)@([^\s@]+)$/.exec(email.trim());
  if (!match) return true;
  const labels = match[2]!.toLowerCase().split(".");
  if (labels.length < 2 || labels.some((l) => l === "")) return true;
  return FAKE_TLDS.has(labels[labels.length - 1]!);
}

export const memberExists = (email: string): McProblem =>
  new McProblem(
    400,
    "Member Exists",
    `${email} is already a list member. Use PUT to insert or update list members.`,
  );

export const forgottenEmail = (email: string): McProblem =>
  new McProblem(
    400,
    "Forgotten Email Not Subscribed",
    `${email} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.`,
  );

export const fakeEmail = (email: string): McProblem =>
  new McProblem(
    400,
    "Invalid Resource",
    `${email} looks fake or invalid, please enter a real email address.`,
  );

const complianceState = (email: string): McProblem =>
  new McProblem(
    400,
    "Member In Compliance State",
    `${email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`,
  );

const statusEnum = z.enum(WRITABLE_STATUSES);
const optionalFields = {
  email_type: z.string().optional(),
  merge_fields: z.unknown().optional(),
  interests: z.record(z.string(), z.boolean()).optional(),
  language: z.string().optional(),
  vip: z.boolean().optional(),
  ip_signup: z.string().optional(),
  timestamp_signup: z.string().optional(),
  ip_opt: z.string().optional(),
  timestamp_opt: z.string().optional(),
};
export const batchItemSchema = z.looseObject({
  email_address: z.string(),
  status: statusEnum.optional(),
  ...optionalFields,
});
export const putSchema = batchItemSchema.extend({ status_if_new: statusEnum.optional() });
export const postSchema = batchItemSchema.extend({
  status: statusEnum,
  tags: z.array(z.string()).optional(),
});
export const patchSchema = batchItemSchema.extend({
  email_address: z.string().optional(),
  status: z.enum(["subscribed", "unsubscribed", "cleaned", "pending"]).optional(),
});

export type MemberWrite = z.infer<typeof batchItemSchema>;

/** Refuses status changes Mailchimp treats as re-subscribing without consent. */
export function assertStatusChange(member: Member, next: WritableStatus): void {
  // `pending` sends a double opt-in mail, the one compliant way back for unsubscribed contacts.
  const blocked =
    (member.status === "unsubscribed" && next === "subscribed") ||
    (member.status === "cleaned" && (next === "subscribed" || next === "pending"));
  if (blocked) throw complianceState(member.email);
}
