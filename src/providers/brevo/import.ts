/**
 * POST /contacts/import and its process: bodies kept under 8 MB, the process polled with growing
 * delays (it is in the 100 requests/hour bucket), then the problem-row reports read and turned
 * into per-email failures. Upserts only: updateExistingContacts, never emptyContactsAttributes,
 * never an emailBlacklist flag, no owner notification mail.
 */
import { UpstreamError } from "../../errors.js";
import type { ContactOutcome } from "../types.js";
import { type BrevoApi, sleep } from "./client.js";

export interface ImportRow {
  email: string;
  attributes: Record<string, string>;
}

/** Brevo takes 10 MB and advises 8 MB (brevo.md §2.1); a little room left for the envelope. */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024 - 4096;
const FIRST_POLL_MS = 500;
const MAX_POLL_MS = 30_000;
/** After this the run stops; the next one re-imports (the import is an idempotent upsert). */
const MAX_WAIT_MS = 15 * 60_000;

type Failure = Pick<ContactOutcome, "error" | "permanent">;

/** What each report of `info.import` means for the rows it lists. */
const REPORTS: Record<string, Failure> = {
  invalid_emails: { error: "Brevo rejected this email address as invalid.", permanent: true },
  duplicate_phone_id: {
    error:
      "The phone number already belongs to another Brevo contact (SMS must be unique), so Brevo skipped this contact.",
    permanent: true,
  },
  duplicate_whatsapp_id: {
    error: "The WhatsApp number already belongs to another Brevo contact.",
    permanent: true,
  },
  duplicate_landline_number_id: {
    error: "The landline number already belongs to another Brevo contact.",
    permanent: true,
  },
  duplicate_ext_id: { error: "The EXT_ID already belongs to another Brevo contact.", permanent: true },
  duplicate_email_id: { error: "Brevo saw this address twice in one import." },
  duplicate_contact_id: { error: "Brevo reported a duplicate contact id for this address." },
};

/** Splits rows into import bodies under MAX_IMPORT_BYTES (UTF-8 size of the JSON rows). */
export function splitBySize(rows: ImportRow[], maxBytes = MAX_IMPORT_BYTES): ImportRow[][] {
  const bodies: ImportRow[][] = [];
  let current: ImportRow[] = [];
  let size = 0;
  for (const row of rows) {
    const bytes = Buffer.byteLength(JSON.stringify(row)) + 1;
    if (current.length > 0 && size + bytes > maxBytes) {
      bodies.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += bytes;
  }
  if (current.length > 0) bodies.push(current);
  return bodies;
}

/**
 * Imports the rows into `listId` and returns the failed ones by email; every other row was
 * written. Calls `onBody` with the number of rows of each finished body.
 */
export async function importRows(
  api: BrevoApi,
  rows: ImportRow[],
  listId: number,
  onBody?: (rows: number) => void,
): Promise<Map<string, Failure>> {
  const failures = new Map<string, Failure>();
  for (const body of splitBySize(rows)) {
    const { processId } = await api.call("contacts", (sdk) =>
      sdk.contacts.importContacts({
        jsonBody: body,
        listIds: [listId],
        updateExistingContacts: true,
        emptyContactsAttributes: false,
        disableNotification: true,
      }),
    );
    const reports = await waitForProcess(api, processId);
    const emails = new Set(body.map((row) => row.email));
    for (const [kind, url] of Object.entries(reports)) {
      const meaning = Object.hasOwn(REPORTS, kind) ? REPORTS[kind] : undefined;
      if (!url || !meaning) continue;
      for (const email of emailsIn(await readReport(url), emails)) failures.set(email, meaning);
    }
    onBody?.(body.length);
  }
  return failures;
}

async function waitForProcess(
  api: BrevoApi,
  processId: number,
): Promise<Record<string, string | null | undefined>> {
  const started = Date.now();
  for (let delay = FIRST_POLL_MS; ; delay = Math.min(delay * 2, MAX_POLL_MS)) {
    await sleep(delay);
    const process = await api.call("general", (sdk) => sdk.process.getProcess({ processId }));
    if (process.status === "completed") return { ...process.info?.import };
    if (process.status === "failed" || process.status === "cancelled") {
      throw new UpstreamError(
        "brevo",
        `Brevo's contact import ${processId} ${process.status}; the next sync tries again.`,
        {
          retryable: true,
          providerCode: `import_${process.status}`,
        },
      );
    }
    if (Date.now() - started > MAX_WAIT_MS) {
      throw new UpstreamError(
        "brevo",
        `Brevo is still processing contact import ${processId}; the next sync writes these contacts again.`,
        { retryable: true, providerCode: "import_pending" },
      );
    }
  }
}

/**
 * The report file behind a link of `info.import`. It is not an API call: no key is sent, so a link
 * pointing anywhere cannot leak it. Plain fetch, three tries.
 */
async function readReport(url: string): Promise<string> {
  if (!/^https?:\/\//i.test(url)) return "";
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      if (response.ok) return await response.text();
      if (response.status < 500 || attempt >= 3) break;
    } catch {
      if (attempt >= 3) break;
    }
    await sleep(500 * attempt);
  }
  throw new UpstreamError(
    "brevo",
    "Could not read Brevo's import report; the next sync writes these contacts again.",
    {
      retryable: true,
      providerCode: "import_report_unreadable",
    },
  );
}

/**
 * Emails of `sent` named in a report. Brevo documents the reports as CSV of the problem rows but
 * not their columns, so each line is split on CSV and JSON punctuation and its tokens looked up:
 * this finds an address as a cell, a quoted cell or a JSON value alike.
 */
export function emailsIn(report: string, sent: Set<string>): string[] {
  const found: string[] = [];
  for (const line of report.split(/\r?\n/)) {
    const hit = line
      .split(/[\s;,"'{}[\]:]+/)
      .map((token) => token.toLowerCase())
      .find((token) => sent.has(token));
    if (hit) found.push(hit);
  }
  return found;
}
