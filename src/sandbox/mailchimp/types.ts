/** State of simulated Mailchimp accounts; exposed as-is for inspection by tests and benchmarks. */

export type MemberStatus =
  | "subscribed"
  | "unsubscribed"
  | "cleaned"
  | "pending"
  | "transactional"
  | "archived";
/** Statuses a client may write on POST, PUT and batch subscribe (`archived` is set by DELETE only). */
export const WRITABLE_STATUSES = [
  "subscribed",
  "unsubscribed",
  "cleaned",
  "pending",
  "transactional",
] as const;
export type WritableStatus = (typeof WRITABLE_STATUSES)[number];

export const MERGE_FIELD_TYPES = [
  "text",
  "number",
  "address",
  "phone",
  "date",
  "url",
  "imageurl",
  "radio",
  "dropdown",
  "birthday",
  "zip",
] as const;
export type MergeFieldType = (typeof MERGE_FIELD_TYPES)[number];

export interface MergeField {
  mergeId: number;
  tag: string;
  name: string;
  type: MergeFieldType;
  required: boolean;
  defaultValue: string;
  public: boolean;
  displayOrder: number;
  options: Record<string, unknown>;
  helpText: string;
}

export interface Member {
  /** subscriber_hash: MD5 of the trimmed, lower-cased address. */
  id: string;
  email: string;
  status: MemberStatus;
  /** Only the values written so far; responses fill the list's other tags with "". */
  mergeFields: Record<string, unknown>;
  /** Tag (static segment) id → time the tag was added. */
  tags: Map<number, number>;
  uniqueEmailId: string;
  contactId: string;
  webId: number;
  emailType: string;
  language: string;
  vip: boolean;
  interests: Record<string, boolean>;
  ipSignup: string;
  timestampSignup?: number;
  ipOpt: string;
  timestampOpt?: number;
  createdAt: number;
  lastChanged: number;
  source: string;
}

export interface Segment {
  id: number;
  name: string;
  /** Tags are static segments; saved segments carry conditions instead of members. */
  type: "static" | "saved";
  members: Set<string>;
  options?: { match?: string; conditions?: unknown[] };
  createdAt: number;
  updatedAt: number;
}

export interface MailchimpList {
  id: string;
  webId: number;
  name: string;
  doubleOptin: boolean;
  createdAt: number;
  mergeFields: MergeField[];
  /** Keyed by subscriber hash, in insertion order. */
  members: Map<string, Member>;
  /** Hashes erased with delete-permanent: they can never be re-imported. */
  forgotten: Set<string>;
  segments: Map<number, Segment>;
  fromName: string;
  fromEmail: string;
}

export type CampaignStatus = "save" | "paused" | "schedule" | "sending" | "sent" | "canceled" | "canceling";

export interface SegmentOpts {
  saved_segment_id?: number;
  match?: "any" | "all";
  conditions?: Array<Record<string, unknown>>;
}

export interface CampaignContent {
  html: string;
  plainText: string;
  template?: { id: number; sections?: Record<string, string> };
  url?: string;
}

export interface TestSend {
  emails: string[];
  sendType: string;
  at: number;
}

export interface Campaign {
  id: string;
  webId: number;
  type: string;
  status: CampaignStatus;
  createdAt: number;
  recipients: { list_id: string; segment_opts?: SegmentOpts };
  /** As the API spells them (subject_line, reply_to, ...). */
  settings: Record<string, unknown>;
  content?: CampaignContent;
  sendTime?: number;
  scheduleTime?: number;
  emailsSent: number;
  /** Addresses the send went to (subscribed members matching the recipients). */
  sentTo: string[];
  testSends: TestSend[];
  parentCampaignId?: string;
}

export interface Template {
  id: number;
  name: string;
  html: string;
  folderId: string;
  createdAt: number;
  editedAt: number;
}

export interface BatchOperationResult {
  status_code: number;
  operation_id: string | null;
  /** The response body as a JSON string, exactly as Mailchimp packs it. */
  response: string;
}

export interface Batch {
  id: string;
  status: "pending" | "preprocessing" | "started" | "finalizing" | "finished";
  totalOperations: number;
  finishedOperations: number;
  erroredOperations: number;
  submittedAt: number;
  completedAt?: number;
  responseBodyUrl: string;
  results: BatchOperationResult[];
  canceled: boolean;
}

export interface MailchimpAccount {
  apiKey: string;
  label: string;
  dc: string;
  accountId: string;
  accountName: string;
  email: string;
  /** Verified sender addresses ("news@shop.example") or domains ("shop.example"). */
  fromEmailVerified: string[];
  canSchedule: boolean;
  lists: Map<string, MailchimpList>;
  campaigns: Map<string, Campaign>;
  templates: Map<number, Template>;
  batches: Map<string, Batch>;
  inFlight: number;
  peakInFlight: number;
  createdAt: number;
}
