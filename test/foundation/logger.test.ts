import { describe, expect, it } from "vitest";
import { registerSecret } from "../../src/logger.js";
import { captureLogger } from "../support/logs.js";

const OFN_KEY = "3f9a6c0b1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e";
const MAILCHIMP_KEY = "0123456789abcdef0123456789abcdef-us21";
const BREVO_KEY = `xkeysib-${"ab12".repeat(16)}-AbCdEf0123456789`;

describe("logs never carry a secret", () => {
  it("redacts keys handed to the logger in many shapes", () => {
    const { logger, text } = captureLogger();
    const basic = Buffer.from(`anystring:${MAILCHIMP_KEY}`).toString("base64");
    logger.info({ apiKey: OFN_KEY }, "field");
    logger.info({ shop: { provider: { api_key: BREVO_KEY } } }, "nested");
    logger.info({ headers: { authorization: `Basic ${basic}`, "api-key": BREVO_KEY } }, "headers");
    logger.info(`message with ${MAILCHIMP_KEY} inside`);
    logger.info({ url: `https://ofn.test/api/v1/customers?token=${OFN_KEY}&page=2` }, "url");
    logger.error({ err: new Error(`Invalid API key (${OFN_KEY}) specified.`) }, "sdk error");
    logger.warn(
      { body: { errors: [{ detail: `Invalid API key (${OFN_KEY}) specified.` }] } },
      "ofn 401 body",
    );
    logger.info({ list: [BREVO_KEY, { deeper: [MAILCHIMP_KEY] }] }, "array");
    logger.info({ header: `Authorization: Basic ${basic}` }, "raw header text");
    const out = text();
    for (const secret of [OFN_KEY, MAILCHIMP_KEY, BREVO_KEY, basic]) expect(out).not.toContain(secret);
    expect(out.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(9);
    // Lines stay valid JSON after scrubbing.
    for (const line of out.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("masks a registered secret that has no recognisable shape", () => {
    const { logger, text } = captureLogger();
    const odd = "correct-horse-battery-staple";
    registerSecret(odd);
    logger.info({ note: `the value was ${odd}` }, "odd");
    expect(text()).not.toContain(odd);
  });
});
