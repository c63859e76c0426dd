/**
 * In-memory Mailchimp Marketing API 3.0 simulator: several accounts, the real error titles, the
 * 10-connection limit, batch subscribe and /batches, tags, campaigns. Point the official SDK's
 * `basePath` at `<url>/3.0`; inspect state through `account()` or the /__sandbox routes.
 */
import { Hono } from "hono";
import { listen, SimulatorControls } from "./controls.js";
import { admit, authenticate, type McEnv } from "./mailchimp/auth.js";
import { mountBatchRoutes } from "./mailchimp/batches.js";
import { mountInspectionRoutes } from "./mailchimp/inspect.js";
import { createList, createTemplate, type ListSeed } from "./mailchimp/lists.js";
import { forgetMember as eraseMember, seedMember } from "./mailchimp/members.js";
import { internalError, McProblem, notFound, problemResponse } from "./mailchimp/problems.js";
import { mountCampaignRoutes } from "./mailchimp/routes-campaigns.js";
import { mountListRoutes } from "./mailchimp/routes-lists.js";
import { hexId, listOrThrow, MailchimpStore, splitKey, subscriberHash } from "./mailchimp/store.js";
import type { MailchimpAccount, MailchimpList, Member, MemberStatus, Template } from "./mailchimp/types.js";

export { looksFake } from "./mailchimp/member-rules.js";
export { subscriberHash } from "./mailchimp/store.js";
export type * from "./mailchimp/types.js";

export interface MailchimpSimulatorOptions {
  /** Simultaneous in-flight requests allowed per key before 429 (Mailchimp: 10). */
  maxConnectionsPerKey?: number;
}

export interface AccountSeed {
  /** "<32 hex>-<dc>", e.g. "0123…cdef-us21". */
  apiKey: string;
  /** Shown in the request log and /__sandbox routes instead of the key. */
  label?: string;
  /** Verified sender addresses or domains; reply_to must match one to send. */
  fromEmailVerified?: string[];
  accountName?: string;
  email?: string;
  /** false = free plan: scheduling answers 403. */
  canSchedule?: boolean;
}

export interface MemberSeed {
  email: string;
  status: MemberStatus;
  mergeFields?: Record<string, unknown>;
  tags?: string[];
}

export interface MailchimpSimulator {
  app: Hono;
  controls: SimulatorControls;
  store: MailchimpStore;
  addAccount(a: AccountSeed): MailchimpAccount;
  addList(apiKey: string, l: ListSeed): MailchimpList;
  addMember(apiKey: string, listId: string, m: MemberSeed): Member;
  addTemplate(apiKey: string, t: { name: string; html: string }): Template;
  /** E.g. the contact unsubscribes through a link in a mail. */
  setMemberStatus(apiKey: string, listId: string, email: string, status: MemberStatus): void;
  /** delete-permanent: later writes for this address fail with "Forgotten Email Not Subscribed". */
  forgetMember(apiKey: string, listId: string, email: string): void;
  account(apiKey: string): MailchimpAccount;
  member(apiKey: string, listId: string, email: string): Member | undefined;
  memberTags(apiKey: string, listId: string, email: string): string[];
}

const answerError = (error: unknown): Response =>
  problemResponse(error instanceof McProblem ? error : internalError(error));

/** Answers 405 on known paths for methods they lack (Hono would otherwise say 404). */
function addMethodNotAllowed(api: Hono<McEnv>): void {
  const methods = new Map<string, Set<string>>();
  for (const route of api.routes) {
    if (route.method === "ALL") continue;
    methods.set(route.path, (methods.get(route.path) ?? new Set()).add(route.method));
  }
  for (const [path, allowed] of methods) {
    api.all(path, () => {
      const problem = new McProblem(
        405,
        "Method Not Allowed",
        "The requested method and resource are not compatible. See the Allow header for this resource's available methods.",
        undefined,
        { allow: [...allowed].join(", ") },
      );
      return problemResponse(problem);
    });
  }
}

export function createMailchimpSimulator(opts: MailchimpSimulatorOptions = {}): MailchimpSimulator {
  const store = new MailchimpStore();
  const controls = new SimulatorControls();

  const api = new Hono<McEnv>({ strict: false });
  api.use("*", authenticate(store));
  mountCampaignRoutes(api, store);
  mountListRoutes(api, store);
  mountBatchRoutes(api, store, async (path, init) => api.request(path, init));
  addMethodNotAllowed(api);
  api.notFound(() => problemResponse(notFound()));
  api.onError(answerError);

  const app = new Hono<McEnv>({ strict: false });
  app.use("/3.0/*", admit(store, opts.maxConnectionsPerKey ?? 10));
  app.use("/3.0/*", controls.middleware("/3.0"));
  controls.mountRoutes(app as unknown as Hono);
  mountInspectionRoutes(app as unknown as Hono, store);
  app.route("/3.0", api);
  app.notFound(() => problemResponse(notFound()));
  app.onError(answerError);

  const accountOf = (apiKey: string) => store.accountOrThrow(apiKey);
  const listOf = (apiKey: string, listId: string) => listOrThrow(accountOf(apiKey), listId);

  return {
    app: app as unknown as Hono,
    controls,
    store,
    addAccount(a) {
      const dc = splitKey(a.apiKey).dc || "us1";
      const account: MailchimpAccount = {
        apiKey: a.apiKey,
        label: a.label ?? `account${store.accounts.size + 1}`,
        dc,
        accountId: hexId(12),
        accountName: a.accountName ?? "Sandbox Shop",
        email: a.email ?? "owner@shop.example.org",
        fromEmailVerified: a.fromEmailVerified ?? [],
        canSchedule: a.canSchedule ?? true,
        lists: new Map(),
        campaigns: new Map(),
        templates: new Map(),
        batches: new Map(),
        inFlight: 0,
        peakInFlight: 0,
        createdAt: Date.now(),
      };
      store.accounts.set(a.apiKey, account);
      store.byLabel.set(account.label, account);
      return account;
    },
    addList: (apiKey, l) => createList(store, accountOf(apiKey), l),
    addMember: (apiKey, listId, m) => seedMember(store, listOf(apiKey, listId), m),
    addTemplate: (apiKey, t) => createTemplate(store, accountOf(apiKey), t),
    setMemberStatus(apiKey, listId, email, status) {
      const found = listOf(apiKey, listId).members.get(subscriberHash(email));
      if (!found) throw new Error(`no member ${email} on list ${listId}`);
      found.status = status;
      found.lastChanged = Date.now();
    },
    forgetMember: (apiKey, listId, email) => eraseMember(listOf(apiKey, listId), email),
    account: accountOf,
    member: (apiKey, listId, email) => listOf(apiKey, listId).members.get(subscriberHash(email)),
    memberTags(apiKey, listId, email) {
      const list = listOf(apiKey, listId);
      const found = list.members.get(subscriberHash(email));
      return found ? [...found.tags.keys()].map((id) => list.segments.get(id)?.name ?? "") : [];
    },
  };
}

export interface RunningMailchimpSimulator {
  sim: MailchimpSimulator;
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  /** url + "/3.0": what the SDK's `basePath` should be. */
  basePath: string;
  close(): Promise<void>;
}

export async function startMailchimpSimulator(
  opts: MailchimpSimulatorOptions = {},
): Promise<RunningMailchimpSimulator> {
  const sim = createMailchimpSimulator(opts);
  const server = await listen(sim.app, 0, () => sim.controls.releaseHanging());
  return { sim, url: server.url, basePath: `${server.url}/3.0`, close: server.close };
}
