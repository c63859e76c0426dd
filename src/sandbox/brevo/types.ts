/** State of one simulated Brevo account; exposed as-is for inspection by tests and benchmarks. */

export interface BlacklistWrite {
  email: string;
  value: boolean;
  /** e.g. "PUT /contacts/{identifier}". */
  endpoint: string;
  at: number;
}

export interface UnblockRecord {
  email: string;
  endpoint: string;
  at: number;
}

export interface BrevoContact {
  id: number;
  /** Lowercased, as Brevo stores it. */
  email: string;
  /** Includes SMS (digits only, as the spec examples show) and EXT_ID when set. */
  attributes: Record<string, unknown>;
  listIds: number[];
  listUnsubscribed: number[];
  emailBlacklisted: boolean;
  smsBlacklisted: boolean;
  createdAt: number;
  modifiedAt: number;
  /** Every write that carried an email blocklist flag (sandbox only). */
  blacklistHistory: Array<Omit<BlacklistWrite, "email">>;
}

export interface BrevoAttribute {
  name: string;
  category: "normal" | "transactional" | "category" | "calculated" | "global";
  type?: string;
  enumeration?: Array<{ value: number; label: string }>;
}

export interface BrevoFolder {
  id: number;
  name: string;
  createdAt: number;
}

export interface BrevoList {
  id: number;
  name: string;
  folderId: number;
  createdAt: number;
  /** Contact ids, in insertion order. */
  members: Set<number>;
}

export interface BrevoSender {
  id: number;
  name: string;
  email: string;
  active: boolean;
}

export interface BrevoTemplate {
  id: number;
  name: string;
  subject: string;
  htmlContent: string;
  isActive: boolean;
  sender: { name: string; email: string };
  tag: string;
  createdAt: number;
}

export type CampaignStatus = "draft" | "sent" | "archive" | "queued" | "suspended" | "in_process";

export interface BrevoCampaign {
  id: number;
  name: string;
  subject?: string;
  previewText?: string;
  htmlContent: string;
  templateId?: number;
  params?: Record<string, unknown>;
  sender: { id: number; name: string; email: string };
  replyTo: string;
  toField?: string;
  tag?: string;
  recipients: { listIds: number[]; exclusionListIds: number[]; segmentIds: number[] };
  status: CampaignStatus;
  scheduledAt?: string;
  sentDate?: string;
  createdAt: number;
  modifiedAt: number;
  testsSent: Array<{ emailTo: string[]; at: number }>;
  /** Addresses the campaign went to (non-blocklisted members of the lists, minus exclusions). */
  sentTo: string[];
}

export interface ImportReport {
  invalid_emails: string[];
  duplicate_email_id: string[];
  duplicate_phone_id: string[];
  duplicate_ext_id: string[];
  created: number;
  updated: number;
  /** Existing contacts left alone because updateExistingContacts was false. */
  skippedExisting: number;
}

export interface BrevoProcess {
  id: number;
  name: string;
  status: "queued" | "in_process" | "completed";
  createdAt: number;
  /** Filled when the import completes. */
  report?: ImportReport;
  /** Base URL for the problem-row CSV links (the simulator's origin). */
  reportBaseUrl: string;
  /** Import options as received, for inspection. */
  options: Record<string, unknown>;
}

export interface BrevoAccount {
  label: string;
  /** Last 4 characters of the key: enough to tell keys apart in logs, never the key. */
  keyTail: string;
  email: string;
  firstName: string;
  lastName: string;
  companyName: string;
  planType: "free" | "payAsYouGo" | "subscription";
  underValidation: boolean;
  emailCredits: number;
  /** `tag` on campaigns is plan-gated (405 on standard accounts). */
  allowTags: boolean;
  senders: BrevoSender[];
  attributes: Map<string, BrevoAttribute>;
  folders: Map<number, BrevoFolder>;
  lists: Map<number, BrevoList>;
  /** Keyed by lowercased email: the only lookup that must stay O(1) at 100,000 contacts. */
  contacts: Map<string, BrevoContact>;
  contactsById: Map<number, BrevoContact>;
  contactsBySms: Map<string, BrevoContact>;
  contactsByExtId: Map<string, BrevoContact>;
  campaigns: Map<number, BrevoCampaign>;
  templates: Map<number, BrevoTemplate>;
  processes: Map<number, BrevoProcess>;
  /** Blocklisted contacts un-blocked by an API write: what a bridge must never cause. */
  unblockedByApi: UnblockRecord[];
  /** Every API write that carried `emailBlacklisted` (true or false). */
  blacklistWrites: BlacklistWrite[];
  deletedContacts: Array<{ email: string; wasBlacklisted: boolean; at: number }>;
  /** Import-finished e-mails the owner would have received (disableNotification false). */
  notificationsSent: number;
  testEmails: { day: string; count: number };
  seq: { contact: number; list: number; folder: number; campaign: number; template: number; process: number };
}

export interface BrevoAccountInput {
  /** "xkeysib-<64 hex>-<16 alnum>". */
  apiKey: string;
  label?: string;
  email?: string;
  companyName?: string;
  senders?: Array<{ name: string; email: string; active?: boolean }>;
  underValidation?: boolean;
  /** Remaining email credits (free plan: 300 per day). */
  emailCredits?: number;
  planType?: BrevoAccount["planType"];
  allowTags?: boolean;
  /** Replaces the default attributes (FIRSTNAME, LASTNAME, SMS, ...), e.g. a French account's NOM/PRENOM. */
  attributes?: Array<{ name: string; type?: string; category?: BrevoAttribute["category"] }>;
}
