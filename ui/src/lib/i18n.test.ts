import { describe, expect, it } from "vitest";
import { dictionaries, resolveLang, translate, translatePlural } from "./i18n";

describe("i18n", () => {
  it("has every English string in French", () => {
    const missing = Object.keys(dictionaries.en).filter((k) => !(k in dictionaries.fr));
    expect(missing, "French strings missing").toEqual([]);
  });
  it("keeps the same placeholders in both languages", () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    for (const k of Object.keys(dictionaries.en) as (keyof typeof dictionaries.en)[]) {
      expect(ph(dictionaries.fr[k]), k).toBe(ph(dictionaries.en[k]));
    }
  });
  it("follows the browser unless a setting overrides", () => {
    expect(resolveLang("system", ["fr-CA", "en"])).toBe("fr");
    expect(resolveLang("system", ["de-DE", "en-GB"])).toBe("en");
    expect(resolveLang("system", ["de"])).toBe("en");
    expect(resolveLang("en", ["fr"])).toBe("en");
  });
  it("fills placeholders and pluralises per language", () => {
    expect(translate("en", "confirm_merge", { from: "a", into: "b" })).toBe("Merge “a” into “b”?");
    expect(translatePlural("en", "count_clippings", 1)).toBe("1 clipping");
    expect(translatePlural("en", "count_clippings", 1200)).toBe("1,200 clippings");
    expect(translatePlural("fr", "count_clippings", 0)).toBe("0 coupure"); // French: 0 is singular
    expect(translatePlural("fr", "count_clippings", 2)).toBe("2 coupures");
  });
});
