import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("configuration", () => {
  it("starts with no variable at all, on the documented defaults", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe("./data");
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.OFN_INSTANCES).toContain("https://coopcircuits.fr");
    expect(config.OFN_INSTANCES).toContain("https://openfoodnetwork.org.uk");
    expect(config.publicUrl).toBe("http://localhost:3000");
    expect(config.MAILCHIMP_BASE_URL).toBeUndefined();
    expect([config.WORKERS, config.CAMPAIGN_WORKERS, config.MAX_CONCURRENT_SYNCS]).toEqual([2, 8, 4]);
  });

  it("names every bad variable and what it expects", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "eighty",
        DATABASE_URL: "mysql://x",
        BRIDGE_ENCRYPTION_KEY: "short",
        OFN_INSTANCES: "ftp://ofn.example",
        LOG_LEVEL: "loud",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ["PORT", "DATABASE_URL", "BRIDGE_ENCRYPTION_KEY", "OFN_INSTANCES", "LOG_LEVEL"]) {
      expect(message).toContain(name);
    }
    expect(message).toContain("postgres://");
    expect(message).toContain("32-byte");
  });

  it("parses lists and trims trailing slashes from URLs", () => {
    const config = loadConfig({
      OFN_INSTANCES: "https://ofn.one/, http://127.0.0.1:4000",
      PUBLIC_URL: "https://bridge.example.org/",
      TRUST_PROXY: "true",
    });
    expect(config.OFN_INSTANCES).toEqual(["https://ofn.one", "http://127.0.0.1:4000"]);
    expect(config.publicUrl).toBe("https://bridge.example.org");
    expect(config.TRUST_PROXY).toBe(true);
  });
});
