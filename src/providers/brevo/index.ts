/**
 * The Brevo NewsletterProvider: one BrevoClient per shop connection (per key); SDK types stay in
 * src/providers/brevo/. Contacts go in one import per 10,000 (contacts.ts, import.ts), campaigns
 * are never re-POSTed (campaigns.ts), /contacts calls stay under 10 per second (client.ts).
 */
import { UpstreamError } from "../../errors.js";
import type { Limiter } from "../../limiter.js";
import type { NewsletterProvider } from "../types.js";
import { Cached, cacheAccount, cacheSenders, listSenders, verifyAccount } from "./account.js";
import { checkCampaign } from "./campaign-check.js";
import * as campaigns from "./campaigns.js";
import { type BrevoApi, createBrevoApi } from "./client.js";
import { writeBrevoContacts } from "./contacts.js";
import {
  type AttributeNames,
  internationalPhone,
  namesFrom,
  prepareAttributes,
  readAttributes,
} from "./fields.js";
import { ListDirectory, listAudiences } from "./lists.js";

export interface BrevoProviderOptions {
  apiKey: string;
  /** e.g. http://127.0.0.1:PORT/v3; undefined = https://api.brevo.com/v3. */
  baseUrl?: string;
  /** Connection cap shared by every instance for this key. */
  limiter: Limiter;
  /** Base delay of our own retry backoff (tests shorten it). */
  retryBaseMs?: number;
  /** Per-request timeout in seconds (60); tests shorten it. */
  timeoutSeconds?: number;
}

/**
 * Contacts per writeContacts call: one import (≈150 bytes a row, 1.5 MB, far under 8 MB; bigger
 * rows are split by size) and at least one poll of the 100-per-hour bucket per chunk, while a
 * crash loses at most one chunk of progress. 10,000 rather than 5,000: half the imports, each
 * processed by Brevo one after the other, for a 50,000-customer first sync 10 s instead of 11 s.
 */
const WRITE_CHUNK_SIZE = 10_000;

export function createBrevoProvider(options: BrevoProviderOptions): NewsletterProvider {
  const api = createBrevoApi(options);
  const lists = new ListDirectory(api);
  const account = cacheAccount(api);
  const senders = cacheSenders(api);
  const campaignContext = { api, lists, account, senders };
  // Filled by prepareFields (with the attributes it created); read on demand otherwise.
  const names = new Cached<AttributeNames>(async () => namesFrom(await readAttributes(api)), 15 * 60_000);
  let prepared: Promise<AttributeNames> | undefined;

  return {
    kind: "brevo",
    writeChunkSize: WRITE_CHUNK_SIZE,
    // Imports of one account are serialised by Brevo anyway; a second chunk would only add polls.
    writeConcurrency: 1,
    // A contact with a phone Brevo accepts as SMS can collide with another one holding it.
    writeOrderMatters: (contact) => internationalPhone(contact.phone) !== undefined,
    verify: () => verifyAccount(account),
    listAudiences: () => listAudiences(api),
    listSenders: () => listSenders(senders),
    async prepareFields(audienceId) {
      const listId = Number(audienceId);
      // A deleted list would make every import fail: say so before reading any customer.
      const missing = !Number.isInteger(listId) || listId <= 0 || !(await listExists(api, listId));
      if (missing) {
        throw new UpstreamError(
          "brevo",
          "The Brevo list chosen as audience no longer exists: choose a list again.",
          {
            retryable: false,
            permanent: true,
            status: 404,
            providerCode: "audience_missing",
          },
        );
      }
      const result = await prepareAttributes(api);
      prepared = Promise.resolve(result.names);
      return result.preparation;
    },
    writeContacts: (contacts, fields, writeOptions) =>
      writeBrevoContacts(
        { api, lists, names: () => prepared ?? names.get() },
        contacts,
        fields,
        writeOptions,
      ),
    createCampaign: (input) => campaigns.createCampaign(campaignContext, input),
    setCampaignContent: (id, input) => campaigns.setCampaignContent(campaignContext, id, input),
    checkCampaign: (id) => checkCampaign(campaignContext, id),
    // Checked first: sendNow's refusals say less, and each campaign call counts against 100 per hour.
    async sendCampaign(id) {
      await checkCampaign(campaignContext, id);
      await campaigns.sendCampaign(campaignContext, id);
    },
    async scheduleCampaign(id, at) {
      await checkCampaign(campaignContext, id);
      return campaigns.scheduleCampaign(campaignContext, id, at);
    },
    cancelCampaign: (id) => campaigns.cancelCampaign(campaignContext, id),
    getCampaign: (id) => campaigns.getCampaign(campaignContext, id),
    findCampaignByTitle: (title) => campaigns.findCampaignByTitle(campaignContext, title),
    sendTest: (id, emails) => campaigns.sendTest(campaignContext, id, emails),
  };
}

async function listExists(api: BrevoApi, listId: number): Promise<boolean> {
  try {
    await api.call("contacts", (sdk) => sdk.contacts.getList({ listId }));
    return true;
  } catch (error) {
    if (error instanceof UpstreamError && error.options.status === 404) return false;
    throw error;
  }
}
