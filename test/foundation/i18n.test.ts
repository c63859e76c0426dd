import { describe, expect, it } from "vitest";
import { catalogs, negotiateLocale, translate } from "../../src/web/i18n/index.js";

describe("en and fr catalogs", () => {
  it("have exactly the same keys, none empty", () => {
    const en = Object.keys(catalogs.en).sort();
    const fr = Object.keys(catalogs.fr).sort();
    expect(fr.filter((key) => !en.includes(key))).toEqual([]);
    expect(en.filter((key) => !fr.includes(key))).toEqual([]);
    for (const locale of ["en", "fr"] as const) {
      for (const [key, text] of Object.entries(catalogs[locale]))
        expect(text.trim(), `${locale}:${key}`).not.toBe("");
    }
  });

  it("use the same placeholders in both languages", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(catalogs.en) as (keyof typeof catalogs.en)[]) {
      expect(placeholders(catalogs.fr[key]), key).toEqual(placeholders(catalogs.en[key]));
    }
  });

  it("negotiates the language", () => {
    expect(negotiateLocale(undefined, "fr-CA,fr;q=0.9")).toBe("fr");
    expect(negotiateLocale(undefined, "de-DE,fr;q=0.5,en;q=0.7")).toBe("en");
    expect(negotiateLocale("fr", "en")).toBe("fr");
    expect(negotiateLocale("xx", undefined)).toBe("en");
    expect(translate("fr", "error.reference", { requestId: "r1" })).toBe("Référence : r1");
  });
});
