/**
 * Double opt-in: contacts already in Brevo keep their status and get attributes only; the others
 * get Brevo's confirmation mail (POST /contacts/doubleOptinConfirmation) and exist, in the
 * audience, only once they click. Existence is read per address (GET /contacts/{email}, 404 = new)
 * within the /contacts budget: there is no bulk "which of these exist" call.
 */
import { UpstreamError } from "../../errors.js";
import type { BrevoApi } from "./client.js";
import { runEach } from "./lists.js";

export interface KnownContact {
  listIds: number[];
  blocklisted: boolean;
}

export interface Lookup {
  existing: Map<string, KnownContact>;
  fresh: string[];
  /** Addresses whose lookup failed (retryable): neither written nor mailed this time. */
  failed: Map<string, string>;
}

const CONCURRENCY = 4;

export async function lookupContacts(api: BrevoApi, emails: string[]): Promise<Lookup> {
  const lookup: Lookup = { existing: new Map(), fresh: [], failed: new Map() };
  await runEach(emails, CONCURRENCY, async (email) => {
    try {
      const info = await api.call("contacts", (sdk) =>
        sdk.contacts.getContactInfo({ identifier: email, identifierType: "email_id" }),
      );
      lookup.existing.set(email, {
        listIds: info.listIds ?? [],
        blocklisted: info.emailBlacklisted === true,
      });
    } catch (error) {
      if (error instanceof UpstreamError && error.options.status === 404) lookup.fresh.push(email);
      else if (error instanceof UpstreamError && !error.options.authFailed)
        lookup.failed.set(email, error.message);
      else throw error;
    }
  });
  return lookup;
}

/** Fails the run at once, with what to do, when the DOI settings cannot work for anyone. */
export async function checkDoiSettings(
  api: BrevoApi,
  templateId: number | undefined,
  redirectionUrl: string | undefined,
): Promise<{ templateId: number; redirectionUrl: string }> {
  const fail = (message: string) =>
    new UpstreamError("brevo", message, { retryable: false, permanent: true, providerCode: "doi_settings" });
  if (!templateId)
    throw fail("Double opt-in needs a Brevo double opt-in template: choose one in the sync settings.");
  if (!redirectionUrl || !/^https?:\/\//i.test(redirectionUrl)) {
    throw fail("Double opt-in needs the page people land on after confirming: set it in the sync settings.");
  }
  const template = await api.call("smtp", (sdk) => sdk.transactionalEmails.getSmtpTemplate({ templateId }));
  // doiTemplate is only returned by this single-template call; an absent flag is not taken as "no".
  if (!template.isActive || template.doiTemplate === false) {
    throw fail(
      `Brevo template #${templateId} is not an active double opt-in template (it needs the {{ doubleoptin }} link).`,
    );
  }
  return { templateId, redirectionUrl };
}

export interface DoiRequest {
  email: string;
  attributes: Record<string, string>;
  includeListIds: number[];
}

/**
 * Sends one confirmation mail per address. Only a 429 is repeated: after a 5xx the mail may have
 * gone, and a second one is worse than a contact retried by the next sync. Returns the failures.
 */
export async function sendConfirmations(
  api: BrevoApi,
  requests: DoiRequest[],
  settings: { templateId: number; redirectionUrl: string },
  onSent: () => void,
): Promise<Map<string, { error: string; permanent: boolean }>> {
  const failed = new Map<string, { error: string; permanent: boolean }>();
  await runEach(requests, CONCURRENCY, async (request) => {
    try {
      await api.call(
        "contacts",
        (sdk) =>
          sdk.contacts.createDoiContact({
            email: request.email,
            attributes: request.attributes,
            includeListIds: request.includeListIds,
            templateId: settings.templateId,
            redirectionUrl: settings.redirectionUrl,
          }),
        "rate-limit",
      );
      onSent();
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.options.authFailed) throw error;
      failed.set(request.email, { error: error.message, permanent: error.permanent });
    }
  });
  return failed;
}
