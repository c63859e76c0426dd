/**
 * Minimal types for the CommonJS `@mailchimp/mailchimp_marketing` 3.0.80 SDK, which ships none for
 * `src/ApiClient` (the per-shop constructor; the package's default export is a shared singleton).
 * Load it with `createRequire(import.meta.url)("@mailchimp/mailchimp_marketing/src/ApiClient")`.
 * Bodies are untyped JSON: callers validate what they read. Methods reject with superagent errors
 * (`status`, `response.body` = problem document) whose `response.req` carries the Basic-auth header.
 */
declare module "@mailchimp/mailchimp_marketing/src/ApiClient" {
  // biome-ignore lint/suspicious/noExplicitAny: untyped JSON from the API; the adapter validates it.
  type Json = any;
  type Opts = Record<string, unknown>;

  interface PingApi {
    get(): Promise<Json>;
  }
  interface RootApi {
    getRoot(opts?: Opts): Promise<Json>;
  }
  interface ListsApi {
    getAllLists(opts?: Opts): Promise<Json>;
    getList(listId: string, opts?: Opts): Promise<Json>;
    getListMergeFields(listId: string, opts?: Opts): Promise<Json>;
    addListMergeField(listId: string, body: Opts): Promise<Json>;
    getListMembersInfo(listId: string, opts?: Opts): Promise<Json>;
    getListMember(listId: string, subscriberHash: string, opts?: Opts): Promise<Json>;
    /** PUT: upsert; send `status_if_new` and no `status` to leave existing members' status alone. */
    setListMember(listId: string, subscriberHash: string, body: Opts, opts?: Opts): Promise<Json>;
    addListMember(listId: string, body: Opts, opts?: Opts): Promise<Json>;
    updateListMember(listId: string, subscriberHash: string, body: Opts, opts?: Opts): Promise<Json>;
    deleteListMember(listId: string, subscriberHash: string): Promise<null>;
    deleteListMemberPermanent(listId: string, subscriberHash: string): Promise<null>;
    /** Batch subscribe: resolves 200 with per-member `errors[]`; the SDK sends no `fields`. */
    batchListMembers(listId: string, body: Opts, opts?: Opts): Promise<Json>;
    updateListMemberTags(listId: string, subscriberHash: string, body: Opts): Promise<null>;
    getListMemberTags(listId: string, subscriberHash: string, opts?: Opts): Promise<Json>;
    createSegment(listId: string, body: Opts): Promise<Json>;
    listSegments(listId: string, opts?: Opts): Promise<Json>;
    getSegment(listId: string, segmentId: string | number, opts?: Opts): Promise<Json>;
    /** Note the argument order: body first. */
    batchSegmentMembers(body: Opts, listId: string, segmentId: string | number): Promise<Json>;
    getSegmentMembersList(listId: string, segmentId: string | number, opts?: Opts): Promise<Json>;
  }
  interface CampaignsApi {
    create(body: Opts): Promise<Json>;
    get(campaignId: string, opts?: Opts): Promise<Json>;
    list(opts?: Opts): Promise<Json>;
    update(campaignId: string, body: Opts): Promise<Json>;
    remove(campaignId: string): Promise<null>;
    setContent(campaignId: string, body: Opts): Promise<Json>;
    getContent(campaignId: string, opts?: Opts): Promise<Json>;
    getSendChecklist(campaignId: string, opts?: Opts): Promise<Json>;
    send(campaignId: string): Promise<null>;
    schedule(campaignId: string, body: Opts): Promise<null>;
    unschedule(campaignId: string): Promise<null>;
    sendTestEmail(campaignId: string, body: Opts): Promise<null>;
    replicate(campaignId: string): Promise<Json>;
    cancelSend(campaignId: string): Promise<null>;
  }
  interface BatchesApi {
    start(body: Opts): Promise<Json>;
    status(batchId: string, opts?: Opts): Promise<Json>;
    list(opts?: Opts): Promise<Json>;
    deleteRequest(batchId: string): Promise<null>;
  }
  interface VerifiedDomainsApi {
    /** GET /verified-domains: `{domains: [{domain, verified, authenticated, ...}]}`. */
    getVerifiedDomainsAll(): Promise<Json>;
  }
  interface TemplatesApi {
    list(opts?: Opts): Promise<Json>;
    getTemplate(templateId: string | number, opts?: Opts): Promise<Json>;
    create(body: Opts): Promise<Json>;
  }

  class ApiClient {
    /** Defaults to https://server.api.mailchimp.com/3.0; set it to https://<dc>.api.mailchimp.com/3.0. */
    basePath: string;
    /** Per-request timeout in ms (default 120000). */
    timeout: number;
    defaultHeaders: Record<string, string>;
    /** Replaces the whole config; leave `server` out when basePath is set (see the URL-builder quirk). */
    setConfig(config: { apiKey?: string; accessToken?: string; server?: string }): void;
    ping: PingApi;
    root: RootApi;
    lists: ListsApi;
    campaigns: CampaignsApi;
    batches: BatchesApi;
    templates: TemplatesApi;
    verifiedDomains: VerifiedDomainsApi;
  }
  export = ApiClient;
}
