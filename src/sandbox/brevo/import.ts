/** The asynchronous contact import: rows are applied when the process completes. */
import { addToList, applyWrite, createContact, isFailure, prepareWrite, setBlacklisted } from "./store.js";
import type { BrevoAccount, BrevoProcess, ImportReport } from "./types.js";
import { normaliseEmail, normalisePhone } from "./values.js";

/** brevo.md §2.1: fileBody / jsonBody up to 10 MB. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export interface ImportRow {
  email: unknown;
  attributes: Record<string, unknown>;
  /** The row as the caller sent it, for the problem-row CSVs. */
  raw: string;
}

export interface ImportOptions {
  listIds: number[];
  updateExistingContacts: boolean;
  emptyContactsAttributes: boolean;
  emailBlacklist: boolean;
  smsBlacklist: boolean;
  disableNotification: boolean;
}

/** Semicolon-separated CSV with a header row, double quotes for cells holding ; or newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ";") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
      row.push(cell);
      if (row.some((v) => v !== "")) rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  row.push(cell);
  if (row.some((v) => v !== "")) rows.push(row);
  return rows;
}

/** Rows of a CSV fileBody; undefined when the header names no identifier column. */
export function csvRows(fileBody: string): ImportRow[] | undefined {
  const [header, ...body] = parseCsv(fileBody);
  const columns = (header ?? []).map((h) => h.trim().toUpperCase());
  if (!columns.some((h) => h === "EMAIL" || h === "SMS" || h === "EXT_ID")) return undefined;
  return body.map((cells) => {
    const attributes: Record<string, unknown> = {};
    let email: unknown;
    for (const [i, name] of columns.entries()) {
      if (name === "EMAIL") email = cells[i];
      else attributes[name] = cells[i] ?? "";
    }
    return { email, attributes, raw: cells.join(";") };
  });
}

export function jsonRows(jsonBody: unknown[]): ImportRow[] {
  return jsonBody.map((item) => {
    const record = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
    const attributes = (
      typeof record.attributes === "object" && record.attributes !== null ? record.attributes : {}
    ) as Record<string, unknown>;
    return { email: record.email, attributes, raw: JSON.stringify(item) };
  });
}

const isEmpty = (v: unknown) => v === "" || v === null || v === undefined;

/** Applies the rows the way brevo.md §2.1 describes; never un-blocklists anyone. */
export function applyImport(account: BrevoAccount, rows: ImportRow[], options: ImportOptions): ImportReport {
  const report: ImportReport = {
    invalid_emails: [],
    duplicate_email_id: [],
    duplicate_phone_id: [],
    duplicate_ext_id: [],
    created: 0,
    updated: 0,
    skippedExisting: 0,
  };
  const seen = new Set<string>();
  const now = Date.now();
  for (const row of rows) {
    const email = normaliseEmail(row.email);
    if (!email) {
      report.invalid_emails.push(row.raw);
      continue;
    }
    if (seen.has(email)) {
      report.duplicate_email_id.push(row.raw);
      continue;
    }
    seen.add(email);
    const existing = account.contacts.get(email);
    if (existing && !options.updateExistingContacts) {
      // Brevo's "update existing contacts" choice is about their data: they still join the lists.
      for (const id of options.listIds) addToList(account, existing, id);
      report.skippedExisting += 1;
      continue;
    }
    const attributes: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row.attributes)) {
      const upper = name.toUpperCase();
      if (upper === "EMAIL") continue;
      // An unusable phone is dropped from the row rather than failing it (unverified).
      if (upper === "SMS" && !isEmpty(value) && !normalisePhone(value)) continue;
      if (isEmpty(value) && !(existing && options.emptyContactsAttributes)) continue;
      attributes[upper] = value;
    }
    const write = { attributes, listIds: options.listIds };
    const prepared = prepareWrite(account, write, existing, "create");
    if (isFailure(prepared)) {
      const identifier = (prepared.metadata?.duplicate_identifiers as string[] | undefined)?.[0];
      if (identifier === "SMS") report.duplicate_phone_id.push(row.raw);
      else if (identifier === "ext_id") report.duplicate_ext_id.push(row.raw);
      else report.invalid_emails.push(row.raw);
      continue;
    }
    const contact = existing ?? createContact(account, email, now);
    applyWrite(account, contact, write, prepared, "POST /contacts/import", now);
    if (options.emailBlacklist) setBlacklisted(account, contact, true, "POST /contacts/import", now);
    if (options.smsBlacklist) contact.smsBlacklisted = true;
    if (existing) report.updated += 1;
    else report.created += 1;
  }
  return report;
}

type ReportKind = "invalid_emails" | "duplicate_email_id" | "duplicate_phone_id" | "duplicate_ext_id";
const REPORT_KINDS: ReportKind[] = [
  "invalid_emails",
  "duplicate_email_id",
  "duplicate_phone_id",
  "duplicate_ext_id",
];

export function reportRows(process: BrevoProcess, kind: string): string[] | undefined {
  return REPORT_KINDS.includes(kind as ReportKind) ? process.report?.[kind as ReportKind] : undefined;
}

/** GET /processes/{id}: problem rows are links to CSVs, "only for completed IMPORTUSER processes". */
export function processJson(account: BrevoAccount, process: BrevoProcess): Record<string, unknown> {
  const json: Record<string, unknown> = { id: process.id, status: process.status, name: process.name };
  const report = process.report;
  if (process.status === "completed" && report) {
    const link = (kind: ReportKind) =>
      report[kind].length > 0
        ? `${process.reportBaseUrl}/__sandbox/accounts/${encodeURIComponent(account.label)}/processes/${process.id}/${kind}.csv`
        : null;
    json.info = {
      import: {
        invalid_emails: link("invalid_emails"),
        duplicate_contact_id: null,
        duplicate_ext_id: link("duplicate_ext_id"),
        duplicate_email_id: link("duplicate_email_id"),
        duplicate_phone_id: link("duplicate_phone_id"),
        duplicate_whatsapp_id: null,
        duplicate_landline_number_id: null,
      },
    };
  }
  return json;
}

/** Pending imports, completed after a delay; timers never keep the process alive. */
export class ImportQueue {
  private readonly pending = new Map<BrevoProcess, { timer: NodeJS.Timeout; run: () => void }>();

  constructor(private readonly delayMs: () => number) {}

  enqueue(process: BrevoProcess, run: () => ImportReport, onDone: () => void): void {
    const finish = () => {
      const entry = this.pending.get(process);
      if (!entry) return;
      clearTimeout(entry.timer);
      this.pending.delete(process);
      process.status = "in_process";
      process.report = run();
      process.status = "completed";
      onDone();
    };
    const timer = setTimeout(finish, this.delayMs());
    timer.unref();
    this.pending.set(process, { timer, run: finish });
  }

  /** Completes every pending import now (tests that do not want to wait). */
  flush(): void {
    for (const { run } of [...this.pending.values()]) run();
  }

  close(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
