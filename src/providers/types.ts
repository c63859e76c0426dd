/**
 * The narrow interface the bridge uses for Mailchimp and Brevo. SDK types never leave the adapter
 * files; every failure is an UpstreamError (retryable / permanent / authFailed, a safe message).
 */

export type ProviderKind = "mailchimp" | "brevo";

/** A contact as the bridge wants it in the provider, built from one or more OFN customers. */
export interface MappedContact {
  /** Trimmed, lowercased, validated. */
  email: string;
  firstName: string;
  lastName: string;
  /** As entered in OFN (free text); adapters decide whether it can be sent. */
  phone: string;
  address?: {
    addr1: string;
    addr2: string;
    city: string;
    state: string;
    zip: string;
    country: string;
  };
  /** The OFN customer code(s), comma-joined when the email is a customer of several enterprises. */
  code: string;
  /** Provider tags: OFN tags (as mapped) and the enterprises' names. */
  tags: string[];
  /** Tags the bridge added before and must now take off (customer gone, tag removed in OFN). */
  removeTags: string[];
}

/**
 * What a new contact gets. Existing contacts always keep their status: adapters never send a
 * status for an existing Mailchimp member and never send `emailBlacklisted: false` to Brevo.
 */
export type ConsentMode =
  /** Mailchimp `subscribed` / Brevo added to the list: the shop asserts it holds consent. */
  | "subscribed"
  /** Mailchimp `pending` / Brevo double opt-in: the contact confirms by email first. */
  | "double_opt_in"
  /** Mailchimp `transactional` / Brevo created but not added to the list: no marketing mail. */
  | "non_marketing";

export interface ContactWriteOptions {
  audienceId: string;
  consent: ConsentMode;
  /** Brevo: OFN tags go to an attribute (default) or to one list per tag. */
  brevoTagMode?: "attribute" | "lists";
  /** Brevo double opt-in template and redirect, when consent is double_opt_in. */
  brevoDoiTemplateId?: number;
  brevoDoiRedirectUrl?: string;
  /** Reports contacts written so far (for the run's progress). */
  onProgress?: (written: number) => void;
}

export interface ContactOutcome {
  email: string;
  ok: boolean;
  /** Status at the provider after the write, when the provider told us. */
  status?: string;
  /** A safe, short reason. */
  error?: string;
  /** Will fail again with the same data (fake address, compliance state, forgotten). */
  permanent?: boolean;
}

export interface FieldPreparation {
  /** Fields that exist or were created, by our logical name (firstName, phone, ...). */
  available: Set<keyof MappedContact | "tagsAttribute">;
  /** Visible warnings for the shop (a field missing that could not be created, ...). */
  warnings: string[];
}

export interface Audience {
  id: string;
  name: string;
  memberCount?: number;
  doubleOptIn?: boolean;
}

export interface AccountInfo {
  /** Shown to the shop: Mailchimp datacenter and account name, Brevo account email. */
  label: string;
  name?: string;
  email?: string;
}

export interface Sender {
  email: string;
  name: string;
  verified: boolean;
}

export interface CampaignInput {
  audienceId: string;
  /** Only contacts with this tag (Mailchimp tag / static segment; Brevo list id) receive it. */
  segmentTag?: string;
  title: string;
  subject: string;
  previewText?: string;
  fromName: string;
  replyTo: string;
  html: string;
  /** Provider template instead of `html`: Mailchimp campaign id to replicate, Brevo template id. */
  providerTemplateId?: string;
  templateParams?: Record<string, string>;
}

export interface ProviderCampaign {
  id: string;
  /** Link for the shop to open the campaign in the provider's app. */
  url?: string;
  status: "draft" | "scheduled" | "sending" | "sent" | "other";
}

export interface NewsletterProvider {
  readonly kind: ProviderKind;
  /** Contacts per writeContacts call that make one bulk write (Mailchimp 500; Brevo an import). */
  readonly writeChunkSize: number;
  /** writeContacts calls the sync may run at once for this account. */
  readonly writeConcurrency: number;
  /**
   * Whether the order this contact is written in, among the others, changes the result (Brevo: a
   * phone number belongs to one contact only, the first written). Such contacts are written in one
   * sorted pass after OFN has been read; the others may be written while OFN is still being read.
   */
  writeOrderMatters(contact: MappedContact): boolean;
  verify(): Promise<AccountInfo>;
  listAudiences(): Promise<Audience[]>;
  listSenders(): Promise<Sender[]>;
  /** Reads merge fields / attributes, creates the missing ones it can, reports what is usable. */
  prepareFields(audienceId: string): Promise<FieldPreparation>;
  /** Creates new contacts with the consent mode and updates existing ones without touching their status. */
  writeContacts(
    contacts: MappedContact[],
    fields: FieldPreparation,
    options: ContactWriteOptions,
  ): Promise<ContactOutcome[]>;

  /** Creates the campaign (no content yet). Never retried inside: callers persist the id first. */
  createCampaign(input: CampaignInput): Promise<ProviderCampaign>;
  setCampaignContent(campaignId: string, input: CampaignInput): Promise<void>;
  /** Throws a permanent UpstreamError with the provider's reason when the campaign cannot be sent. */
  checkCampaign(campaignId: string): Promise<void>;
  /**
   * Sends (or schedules) once, never retried inside. A campaign that cannot go fails with the same
   * reason checkCampaign gives: Brevo checks first (its campaign calls are counted per hour),
   * Mailchimp explains a refusal afterwards (its send only says "not ready"), one call fewer.
   */
  sendCampaign(campaignId: string): Promise<void>;
  scheduleCampaign(campaignId: string, at: Date): Promise<Date>;
  cancelCampaign(campaignId: string): Promise<void>;
  getCampaign(campaignId: string): Promise<ProviderCampaign | undefined>;
  /** Finds a campaign by its exact title/name: how a crash after "create" is recovered without a duplicate. */
  findCampaignByTitle(title: string): Promise<ProviderCampaign | undefined>;
  sendTest(campaignId: string, emails: string[]): Promise<void>;
}
