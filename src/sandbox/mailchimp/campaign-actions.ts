/**
 * Campaign actions: the send checklist and send / schedule / test / cancel. Sends complete
 * instantly; a scheduled campaign is delivered the first time it is looked at after its time.
 */
import { z } from "zod";
import { badRequest, invalidResource, McProblem, parseWith } from "./problems.js";
import { segmentFilter } from "./segments.js";
import type { Campaign, MailchimpAccount } from "./types.js";

/** Subscribed members of the campaign's audience that match its segment options. */
export function campaignRecipients(account: MailchimpAccount, campaign: Campaign): string[] {
  const list = account.lists.get(campaign.recipients.list_id);
  if (!list) return [];
  const inside = segmentFilter(list, campaign.recipients.segment_opts);
  const emails: string[] = [];
  for (const m of list.members.values()) if (m.status === "subscribed" && inside(m)) emails.push(m.email);
  return emails;
}

interface ChecklistItem {
  type: "success" | "warning" | "error";
  id: number;
  heading: string;
  details: string;
}

/** A reply_to is sendable when the address itself or its domain is verified on the account. */
export function isVerifiedSender(account: MailchimpAccount, address: string): boolean {
  const email = address.trim().toLowerCase();
  const domain = email.split("@")[1] ?? "";
  return account.fromEmailVerified.some((entry) => {
    const verified = entry.trim().toLowerCase().replace(/^@/, "");
    return verified.includes("@") ? verified === email : verified === domain;
  });
}

export function sendChecklist(
  account: MailchimpAccount,
  c: Campaign,
): { is_ready: boolean; items: ChecklistItem[] } {
  const items: ChecklistItem[] = [];
  const add = (type: ChecklistItem["type"], heading: string, details: string) =>
    items.push({ type, id: items.length + 1, heading, details });
  if (c.status === "sent" || c.status === "sending")
    add("error", "Campaign", "This campaign has already been sent.");
  const list = account.lists.get(c.recipients.list_id);
  const recipients = list ? campaignRecipients(account, c).length : 0;
  if (!list) add("error", "Recipients", "Choose an audience to send to.");
  else if (recipients === 0) {
    const where = c.recipients.segment_opts ? "Your segment" : `Your audience "${list.name}"`;
    add("error", "Recipients", `${where} has no subscribed contacts.`);
  } else add("success", "Recipients", `${recipients} subscribed recipients in "${list.name}".`);
  const fromName = String(c.settings.from_name ?? "");
  const replyTo = String(c.settings.reply_to ?? "");
  if (!fromName) add("error", "Sender", "Add a From name.");
  if (!replyTo) add("error", "Sender", "You need to add a From email address.");
  else if (!isVerifiedSender(account, replyTo)) {
    const domain = replyTo.split("@")[1] ?? replyTo;
    add(
      "error",
      "Sender",
      `From email must be verified: ${replyTo} is not verified. Verify ${domain} first.`,
    );
  } else if (fromName) add("success", "Sender", `From ${fromName} <${replyTo}>.`);
  if (c.type !== "plaintext" && !String(c.settings.subject_line ?? ""))
    add("error", "Subject", "Add a subject line.");
  const html = c.content?.html ?? "";
  const hasContent = c.type === "plaintext" ? Boolean(c.content?.plainText) : html.trim() !== "";
  if (!hasContent) add("error", "Content", "Your campaign has no content.");
  else if (!html.includes("*|UNSUB|*") && c.settings.auto_footer !== true) {
    add("warning", "Content", "No *|UNSUB|* link found; Mailchimp will add its own footer.");
  } else add("success", "Content", "Content is set.");
  const unsupported = (c.recipients.segment_opts?.conditions ?? []).filter(
    (x) => x.condition_type !== "StaticSegment",
  );
  if (unsupported.length > 0) add("warning", "Recipients", "The sandbox ignores conditions other than tags.");
  return { is_ready: !items.some((i) => i.type === "error"), items };
}

function deliver(account: MailchimpAccount, c: Campaign, at: number): void {
  c.sentTo = campaignRecipients(account, c);
  c.emailsSent = c.sentTo.length;
  c.sendTime = at;
  c.status = "sent";
}

/** Delivers a scheduled campaign whose time has come (lazily, when it is next read). */
export function settleSchedule(account: MailchimpAccount, c: Campaign): void {
  if (c.status === "schedule" && c.scheduleTime !== undefined && c.scheduleTime <= Date.now()) {
    deliver(account, c, c.scheduleTime);
  }
}

function assertNotSent(c: Campaign): void {
  if (c.status === "sent" || c.status === "sending" || c.status === "canceled") {
    throw badRequest("This campaign has already been sent and cannot be sent again.");
  }
}

function assertReady(account: MailchimpAccount, c: Campaign): void {
  if (!sendChecklist(account, c).is_ready) throw badRequest("Your Campaign is not ready to send.");
}

export function sendCampaign(account: MailchimpAccount, c: Campaign): void {
  assertNotSent(c);
  if (c.status === "schedule")
    throw badRequest("This campaign is scheduled; unschedule it before sending it now.");
  assertReady(account, c);
  deliver(account, c, Date.now());
}

const scheduleSchema = z.looseObject({
  schedule_time: z.string(),
  timewarp: z.boolean().optional(),
  batch_delivery: z.looseObject({ batch_delay: z.number(), batch_count: z.number() }).optional(),
});

const cannotSchedule = (reason: string): McProblem =>
  invalidResource(`This campaign cannot be scheduled: ${reason}`, [
    { field: "schedule_time", message: reason },
  ]);

export function scheduleCampaign(account: MailchimpAccount, c: Campaign, body: unknown): void {
  if (!account.canSchedule) {
    throw new McProblem(403, "Forbidden", "Scheduling campaigns is not available on the Free plan.");
  }
  const input = parseWith(scheduleSchema, body);
  const at = Date.parse(input.schedule_time);
  if (Number.isNaN(at)) throw cannotSchedule("Schedule time must be a valid ISO 8601 date-time.");
  const date = new Date(at);
  if (date.getUTCMinutes() % 15 !== 0 || date.getUTCSeconds() !== 0 || date.getUTCMilliseconds() !== 0) {
    throw cannotSchedule("Schedule time must be on the quarter-hour (:00, :15, :30, :45).");
  }
  if (at <= Date.now()) throw cannotSchedule("Schedule time must be in the future.");
  assertNotSent(c);
  if (c.status === "schedule") throw badRequest("This campaign is already scheduled; unschedule it first.");
  assertReady(account, c);
  c.status = "schedule";
  c.scheduleTime = at;
}

export function unscheduleCampaign(c: Campaign): void {
  if (c.status !== "schedule") throw badRequest("You cannot unschedule a campaign that is not scheduled.");
  c.status = "save";
  c.scheduleTime = undefined;
}

export function cancelSend(c: Campaign): void {
  if (c.status !== "schedule" && c.status !== "sending") {
    throw badRequest(`A campaign with status "${c.status}" cannot be canceled.`);
  }
  c.status = "canceled";
}

const testSchema = z.looseObject({
  test_emails: z.array(z.string()).min(1),
  send_type: z.enum(["html", "plaintext"]),
});

export function sendTest(c: Campaign, body: unknown): void {
  const input = parseWith(testSchema, body);
  if (!c.content) throw badRequest("Your Campaign is not ready to send a test: it has no content.");
  c.testSends.push({ emails: input.test_emails, sendType: input.send_type, at: Date.now() });
}
