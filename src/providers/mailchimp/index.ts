/**
 * The Mailchimp NewsletterProvider: one SDK client per shop key (never the SDK's singleton),
 * every call through the key's shared limiter, contacts in /batches of 500, campaigns one step
 * at a time. SDK types and errors stay inside this folder.
 */
import type { UpstreamError } from "../../errors.js";
import type { Limiter } from "../../limiter.js";
import type { NewsletterProvider } from "../types.js";
import { listAudiences, listSenders, verifyAccount } from "./account.js";
import { type AudienceInfo, loadAudienceInfo, prepareAudience } from "./audience.js";
import {
  cancelCampaign,
  checkCampaign,
  scheduleCampaign,
  sendCampaign,
  sendTest,
} from "./campaign-actions.js";
import {
  createCampaign,
  findCampaignByTitle,
  readCampaign,
  setCampaignContent,
  toProviderCampaign,
} from "./campaigns.js";
import { createMailchimpClient, type McClient } from "./client.js";
import { writeContacts } from "./contacts.js";

export { parseMailchimpKey } from "./client.js";

export interface MailchimpProviderOptions {
  apiKey: string;
  /** e.g. http://127.0.0.1:PORT/3.0; undefined = https://<dc>.api.mailchimp.com/3.0. */
  baseUrl?: string;
  /** Shared by everything using this key in the process (Mailchimp allows 10 connections per account). */
  limiter: Limiter;
  /** Base delay of the retry backoff (default 2 s). */
  retryBaseMs?: number;
  /** Per-request timeout (default 30 s; the SDK's own is 120 s). */
  timeoutMs?: number;
  /** How long one batch of contacts may take before the chunk fails, retryable (default 10 min). */
  batchTimeoutMs?: number;
}

/** At most 500 contacts (≤ 1,000 operations) per /batches call. */
const CHUNK_SIZE = 500;

export function createMailchimpProvider(options: MailchimpProviderOptions): NewsletterProvider {
  // A malformed key fails every call with the same permanent error, before any request.
  let client: McClient | undefined;
  let keyError: UpstreamError | undefined;
  try {
    client = createMailchimpClient(options);
  } catch (error) {
    keyError = error as UpstreamError;
  }
  const use = async (): Promise<McClient> => {
    if (!client) throw keyError;
    return client;
  };

  // Audience facts (double opt-in, merge tags) found by prepareFields, reused by writeContacts.
  const audiences = new Map<string, Promise<AudienceInfo>>();
  const audience = (audienceId: string): Promise<AudienceInfo> => {
    let info = audiences.get(audienceId);
    if (!info) {
      info = use().then((c) => loadAudienceInfo(c, audienceId));
      info.catch(() => audiences.delete(audienceId));
      audiences.set(audienceId, info);
    }
    return info;
  };

  return {
    kind: "mailchimp",
    writeChunkSize: CHUNK_SIZE,
    // Batches in flight: Mailchimp runs them on its side, and every HTTP call (start, poll) still
    // goes through the account's limiter of 4 connections, so more batches than connections can
    // be pending (Mailchimp allows 500).
    writeConcurrency: 8,
    writeOrderMatters: () => false,
    verify: async () => verifyAccount(await use()),
    listAudiences: async () => listAudiences(await use()),
    listSenders: async () => listSenders(await use()),
    async prepareFields(audienceId) {
      const { info, preparation } = await prepareAudience(await use(), audienceId);
      audiences.set(audienceId, Promise.resolve(info));
      return preparation;
    },
    writeContacts: async (contacts, fields, writeOptions) =>
      writeContacts(
        { client: await use(), audience, batchTimeoutMs: options.batchTimeoutMs ?? 10 * 60_000 },
        contacts,
        fields,
        writeOptions,
      ),
    createCampaign: async (input) => createCampaign(await use(), input),
    setCampaignContent: async (campaignId, input) => setCampaignContent(await use(), campaignId, input),
    checkCampaign: async (campaignId) => checkCampaign(await use(), campaignId),
    sendCampaign: async (campaignId) => sendCampaign(await use(), campaignId),
    scheduleCampaign: async (campaignId, at) => scheduleCampaign(await use(), campaignId, at),
    cancelCampaign: async (campaignId) => cancelCampaign(await use(), campaignId),
    async getCampaign(campaignId) {
      const campaign = await readCampaign(await use(), campaignId);
      return campaign ? toProviderCampaign(campaign) : undefined;
    },
    findCampaignByTitle: async (title) => findCampaignByTitle(await use(), title),
    sendTest: async (campaignId, emails) => sendTest(await use(), campaignId, emails),
  };
}
