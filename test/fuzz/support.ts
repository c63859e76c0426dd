/**
 * What "a clear error" means, checked on every fuzzed answer: never a 5xx; a 4xx from a machine
 * route (/api, /webhooks) is JSON with the shared error shape and the code that matches its
 * status; a 4xx from a page is the localised HTML error page or the form with its error summary.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { ERROR_STATUS } from "../../src/errors.js";

export interface Answer {
  status: number;
  type: string;
  text: string;
}

export async function answerOf(res: Response): Promise<Answer> {
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

const CODE_OF_STATUS = new Map<number, string[]>();
for (const [code, status] of Object.entries(ERROR_STATUS)) {
  CODE_OF_STATUS.set(status, [...(CODE_OF_STATUS.get(status) ?? []), code]);
}

/** A JSON route's answer: a success, or the error shape with a matching code and a message. */
export function expectJsonAnswer(answer: Answer, context: string): void {
  expect(answer.status, `${context}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status < 400) return;
  expect(answer.type, context).toMatch(/^application\/json/);
  const body = JSON.parse(answer.text) as {
    error?: { code?: unknown; message?: unknown; requestId?: unknown };
  };
  expect(CODE_OF_STATUS.get(answer.status) ?? [], `${context}: ${answer.text}`).toContain(body.error?.code);
  expect(typeof body.error?.message === "string" && body.error.message.length > 0, context).toBe(true);
  expect(typeof body.error?.requestId, context).toBe("string");
}

/** A page's answer: a success or redirect, or an HTML page that says what went wrong. */
export function expectPageAnswer(answer: Answer, context: string): void {
  expect(answer.status, `${context}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status < 400) return;
  expect(answer.type, context).toMatch(/^text\/html/);
  expect(answer.text, context).toMatch(/<html lang="(en|fr)"/);
  // The error page's heading, a form's error summary, or an admin field error.
  expect(answer.text, `${context}: ${answer.text.slice(0, 300)}`).toMatch(/id="error-title"|role="alert"/);
}

/** Text a person or a broken client might send: unicode, control characters, NUL, lone surrogates. */
export const nastyString = (maxLength = 80) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: "grapheme", maxLength }),
    fc.string({ unit: "binary", maxLength }),
    fc.constantFrom(
      "",
      " ",
      "\u0000",
      "a\u0000b",
      "\ud800",
      "x\udfffy",
      "Zoë 🥕 Ферма مزرعة 農場",
      "‮gnp.exe",
      "<script>alert(1)</script>",
      "'; drop table shops; --",
      ["$", "{jndi:ldap://x}"].join(""),
      "../../etc/passwd",
      "%00",
      "%",
      "a".repeat(5_000),
      "é".repeat(300),
    ),
  );

/**
 * A path segment from any text: every UTF-8 byte percent-encoded (a lone surrogate becomes the
 * replacement character, as a browser would send it), or one of a few malformed escapes as is.
 */
export const pathSegment = fc.oneof(
  {
    weight: 5,
    arbitrary: nastyString(40).map((s) =>
      [...Buffer.from(s || "x")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""),
    ),
  },
  { weight: 3, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "%ff%fe", "%00", "..", "%2e%2e", "%2F", "a%20b", "~") },
);
