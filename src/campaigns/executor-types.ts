/** Shared shapes of the campaign executor and its worker. */
import type { Keyring } from "../crypto/keyring.js";
import type { Db } from "../db/client.js";
import type { Logger } from "../logger.js";
import type { NewsletterProvider, ProviderKind } from "../providers/types.js";
import type { FrozenContent } from "./campaign-content.js";
import type { CampaignOrigin } from "./opening-plan.js";

export interface CampaignDeps {
  db: Db;
  keyring: Keyring;
  logger: Logger;
  providers: (kind: ProviderKind, apiKey: string) => NewsletterProvider;
  /** Base delay of the retry backoff for 429/5xx (default 30 s); tests shorten it. */
  campaignRetryBaseMs?: number;
  now?: () => Date;
}

export interface Lease {
  owner: string;
  leaseMs: number;
}

export type DeliveryMode = "send_now" | "schedule" | "draft" | "test";

/** campaigns.details: where the row came from, then what each step recorded. */
export interface CampaignDetails extends Partial<CampaignOrigin> {
  content?: FrozenContent;
  /** Set just before createCampaign: a resumed run looks the campaign up by title first. */
  createAttemptedAt?: string;
  mode?: DeliveryMode;
  /** Set just before send/schedule: a resumed run asks the provider whether it already happened. */
  sendAttemptedAt?: string;
  scheduleRequestedFor?: string;
  testEmails?: string[];
  testSentAt?: string;
  /** A checklist problem found while sending a test (the test still went out). */
  checkWarning?: string;
  /** The step a failed campaign stopped at: "retry" resumes from there. */
  failedAtStatus?: string;
}

/** What the executor has recorded so far, read by the worker when a step throws. */
export interface Progress {
  status: string;
  details: CampaignDetails;
}

export class LeaseLostError extends Error {
  constructor() {
    super("another worker took this campaign over");
    this.name = "LeaseLostError";
  }
}

/** A campaign that cannot go on until the shop changes something; `code` picks the translated text. */
export class CampaignProblem extends Error {
  constructor(
    readonly code: "NO_PROVIDER" | "CONNECTION_BROKEN" | "NO_TEST_ADDRESS",
    message: string,
  ) {
    super(message);
    this.name = "CampaignProblem";
  }
}
