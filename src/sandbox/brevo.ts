/**
 * In-memory simulator of the Brevo API v3 parts the bridge uses: contacts, lists, attributes,
 * the asynchronous import, email campaigns, senders and templates. Multi-account (one per
 * `api-key`), with Brevo's per-account rate buckets and its traps (blocklist un-blocking,
 * silently dropped attributes, all-or-nothing batches) reproduced so tests catch them.
 * Facts: ../../../shared/reference/brevo.md and the vendored spec brevo-api-v3.yml.
 */
import { Hono } from "hono";
import { mountAccountRoutes } from "./brevo/account.routes.js";
import type { SeedContact } from "./brevo/accounts.js";
import { brevoTestKey, newAccount, seedContact, seedTemplate } from "./brevo/accounts.js";
import { mountCampaignRoutes } from "./brevo/campaigns.routes.js";
import { mountContactRoutes } from "./brevo/contacts.routes.js";
import type { DoiRequest } from "./brevo/doi.routes.js";
import { confirmDoubleOptIn, doiRequests, mountDoiRoutes } from "./brevo/doi.routes.js";
import type { BrevoEnv, RateLimits } from "./brevo/http.js";
import { authenticate, RateLimiter } from "./brevo/http.js";
import { ImportQueue } from "./brevo/import.js";
import { mountImportRoutes } from "./brevo/import.routes.js";
import type { CommitFault } from "./brevo/inspect.routes.js";
import { mountInspectRoutes } from "./brevo/inspect.routes.js";
import { mountListRoutes } from "./brevo/lists.routes.js";
import { createList } from "./brevo/store.js";
import type {
  BrevoAccount,
  BrevoAccountInput,
  BrevoContact,
  BrevoList,
  BrevoTemplate,
} from "./brevo/types.js";
import { listen, SimulatorControls } from "./controls.js";

export type * from "./brevo/types.js";
export type { CommitFault, DoiRequest, RateLimits, SeedContact };
export { brevoTestKey };

export interface BrevoSimulatorOptions {
  /** /contacts* bucket per second (Brevo General tier: 10). */
  contactsPerSecond?: number;
  /** /contacts* bucket per hour (default 3,600 × contactsPerSecond, i.e. 36,000 like Brevo). */
  contactsPerHour?: number;
  /** Everything outside /contacts and /smtp: /emailCampaigns, /processes, /account, /senders (100). */
  generalPerHour?: number;
  /** /smtp/* (templates) per hour (300). */
  smtpPerHour?: number;
  /** Delay before an import process completes (50 ms). */
  importProcessingMs?: number;
}

export interface BrevoSimulator {
  app: Hono;
  controls: SimulatorControls;
  /** Mutable: changes apply to the next request. */
  limits: RateLimits;
  options: { importProcessingMs: number };
  addAccount(input: BrevoAccountInput): BrevoAccount;
  addList(apiKey: string, list: { id?: number; name: string; folderId?: number }): BrevoList;
  /** Seeds a contact as existing state (no API rules applied, nothing recorded). */
  addContact(apiKey: string, contact: SeedContact): BrevoContact;
  addTemplate(
    apiKey: string,
    template: Partial<Omit<BrevoTemplate, "createdAt">> & { name: string; htmlContent: string },
  ): BrevoTemplate;
  /** The contact clicks its double opt-in link: created (or updated) and added to the lists then. */
  confirmDoubleOptIn(apiKey: string, email: string): BrevoContact;
  /** Double opt-in confirmation mails sent, oldest first. */
  doubleOptIns(apiKey: string): DoiRequest[];
  /** The contact unsubscribes (created blocklisted if unknown). */
  blocklist(apiKey: string, email: string): void;
  account(apiKey: string): BrevoAccount;
  accountByLabel(label: string): BrevoAccount | undefined;
  /** Lets the request run, then answers `status` anyway: the "did my POST go through?" case. */
  addCommitFault(rule: CommitFault): void;
  flushImports(): void;
  resetRateLimits(): void;
  /** Cancels pending import timers. */
  close(): void;
}

export function createBrevoSimulator(opts: BrevoSimulatorOptions = {}): BrevoSimulator {
  const contactsPerSecond = opts.contactsPerSecond ?? 10;
  const limits: RateLimits = {
    contactsPerSecond,
    contactsPerHour: opts.contactsPerHour ?? contactsPerSecond * 3600,
    generalPerHour: opts.generalPerHour ?? 100,
    smtpPerHour: opts.smtpPerHour ?? 300,
  };
  const options = { importProcessingMs: opts.importProcessingMs ?? 50 };
  const controls = new SimulatorControls();
  const limiter = new RateLimiter(limits);
  const queue = new ImportQueue(() => options.importProcessingMs);
  const byKey = new Map<string, BrevoAccount>();
  const byLabel = new Map<string, BrevoAccount>();
  let commitFaults: CommitFault[] = [];

  const account = (apiKey: string): BrevoAccount => {
    const found = byKey.get(apiKey);
    if (!found) throw new Error(`Brevo sandbox: no account for key …${apiKey.slice(-4)}`);
    return found;
  };
  const blocklist = (target: BrevoAccount, email: string) => {
    seedContact(target, { email, emailBlacklisted: true });
  };

  const app = new Hono();
  app.use("/v3/*", controls.middleware("/v3"));
  app.use("/v3/*", async (c, next) => {
    await next();
    const path = new URL(c.req.url).pathname.slice("/v3".length);
    const index = commitFaults.findIndex(
      (f) => (!f.method || f.method.toUpperCase() === c.req.method) && path.startsWith(f.pathPrefix),
    );
    const rule = commitFaults[index];
    if (!rule) return;
    rule.remaining -= 1;
    if (rule.remaining <= 0) commitFaults.splice(index, 1);
    const body = rule.body === undefined ? { message: "Internal Server Error" } : rule.body;
    c.res = new Response(body === null ? null : JSON.stringify(body), {
      status: rule.status ?? 500,
      headers: body === null ? {} : { "content-type": "application/json" },
    });
  });

  const api = new Hono<BrevoEnv>();
  api.use("*", authenticate(byKey));
  api.use("*", limiter.middleware());
  mountAccountRoutes(api);
  mountCampaignRoutes(api);
  mountImportRoutes(api, queue);
  // Literal /contacts/... routes before /contacts/:identifier, which would swallow them.
  mountListRoutes(api);
  mountDoiRoutes(api);
  mountContactRoutes(api);
  app.route("/v3", api);

  controls.mountRoutes(app);
  const sim: BrevoSimulator = {
    app,
    controls,
    limits,
    options,
    addAccount(input) {
      if (byKey.has(input.apiKey)) throw new Error("Brevo sandbox: duplicate apiKey");
      const created = newAccount(input, byKey.size + 1);
      if (byLabel.has(created.label)) throw new Error(`Brevo sandbox: duplicate label ${created.label}`);
      byKey.set(input.apiKey, created);
      byLabel.set(created.label, created);
      return created;
    },
    addList: (apiKey, list) => createList(account(apiKey), list),
    addContact: (apiKey, contact) => seedContact(account(apiKey), contact),
    addTemplate: (apiKey, template) => seedTemplate(account(apiKey), template),
    confirmDoubleOptIn: (apiKey, email) => confirmDoubleOptIn(account(apiKey), email),
    doubleOptIns: (apiKey) => doiRequests(account(apiKey)),
    blocklist: (apiKey, email) => blocklist(account(apiKey), email),
    account,
    accountByLabel: (label) => byLabel.get(label),
    addCommitFault: (rule) => {
      commitFaults.push({ ...rule });
    },
    flushImports: () => queue.flush(),
    resetRateLimits: () => limiter.reset(),
    close: () => queue.close(),
  };
  mountInspectRoutes(app, {
    accounts: () => [...byKey.values()],
    byLabel: (label) => byLabel.get(label),
    blocklist,
    addCommitFault: sim.addCommitFault,
    clearCommitFaults: () => {
      commitFaults = [];
    },
    limits,
    resetRateLimits: sim.resetRateLimits,
    flushImports: sim.flushImports,
  });
  app.notFound((c) => c.json({ code: "document_not_found", message: "Not found" }, 404));
  app.onError((err, c) => c.json({ code: "internal_error", message: err.message }, 500));
  return sim;
}

export interface RunningBrevoSimulator {
  sim: BrevoSimulator;
  url: string;
  /** url + "/v3": what BrevoClient wants as baseUrl. */
  basePath: string;
  close(): Promise<void>;
}

/** Starts the simulator on 127.0.0.1 with a free port. */
export async function startBrevoSimulator(opts: BrevoSimulatorOptions = {}): Promise<RunningBrevoSimulator> {
  const sim = createBrevoSimulator(opts);
  const server = await listen(sim.app, 0, () => {
    sim.controls.releaseHanging();
    sim.close();
  });
  return { sim, url: server.url, basePath: `${server.url}/v3`, close: server.close };
}
