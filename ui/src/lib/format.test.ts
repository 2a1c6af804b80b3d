import { describe, expect, it } from "vitest";
import { escapeHtml, formatDate, formatNumber, parseDate, readingMinutes, rowDate, sourceLabel } from "./format";
import { readerDocument } from "./readerdoc";

describe("format", () => {
  it("keeps a bare date on its calendar day", () => {
    const d = parseDate("2024-03-01")!;
    expect([d.getFullYear(), d.getMonth(), d.getDate()]).toEqual([2024, 2, 1]);
  });
  it("formats in the UI language", () => {
    expect(formatDate("2024-03-01", "en")).toBe("Mar 1, 2024");
    expect(formatDate("2024-03-01", "fr")).toBe("1 mars 2024");
    expect(formatDate("not a date", "en")).toBe("not a date");
    expect(formatDate(null, "en")).toBe("");
  });
  it("makes one formatter per language and style, not one per call", () => {
    // A list row formats its date on every render: building an ICU formatter each time costs
    // a millisecond and native memory the garbage collector does not see.
    const made = { dates: 0, numbers: 0 };
    const { DateTimeFormat, NumberFormat } = Intl;
    Intl.DateTimeFormat = class extends DateTimeFormat {
      constructor(...args: ConstructorParameters<typeof DateTimeFormat>) {
        super(...args);
        made.dates++;
      }
    } as typeof DateTimeFormat;
    Intl.NumberFormat = class extends NumberFormat {
      constructor(...args: ConstructorParameters<typeof NumberFormat>) {
        super(...args);
        made.numbers++;
      }
    } as typeof NumberFormat;
    try {
      for (let day = 1; day <= 20; day++) formatDate(`2024-05-${String(day).padStart(2, "0")}`, "de");
      expect(formatDate("2024-05-01", "de")).toBe("1. Mai 2024");
      for (let n = 0; n < 20; n++) formatNumber(n * 1000, "de");
      expect(formatNumber(1234, "de")).toBe("1.234");
    } finally {
      Intl.DateTimeFormat = DateTimeFormat;
      Intl.NumberFormat = NumberFormat;
    }
    expect(made).toEqual({ dates: 1, numbers: 1 });
  });
  it("reads at 230 words a minute, at least one", () => {
    expect(readingMinutes(0)).toBe(1);
    expect(readingMinutes(1150)).toBe(5);
  });
  it("prefers the published date and the site name", () => {
    expect(rowDate({ published_at: null, created_at: "2024-01-02" })).toBe("2024-01-02");
    expect(sourceLabel({ site_name: null, host: "www.lemonde.fr" })).toBe("lemonde.fr");
    expect(sourceLabel({ site_name: "Le Monde", host: "www.lemonde.fr" })).toBe("Le Monde");
  });
  it("escapes attribute values", () => {
    expect(escapeHtml(`"><script>&'`)).toBe("&quot;&gt;&lt;script&gt;&amp;&#39;");
  });
});

describe("readerDocument", () => {
  it("wraps the body with language, direction, stylesheet and theme", () => {
    const doc = readerDocument("<p>Salut</p>", "fr", "ltr", "dark");
    expect(doc).toContain('<html lang="fr" dir="ltr">');
    expect(doc).toContain('<link rel="stylesheet" href="/reader.css">');
    expect(doc).toContain('<body class="dark"><article><p>Salut</p></article></body>');
  });
  it("escapes a hostile language value and only allows ltr/rtl", () => {
    const doc = readerDocument("", `en" onload="x`, `rtl" x="`, "light");
    expect(doc).toContain('lang="en&quot; onload=&quot;x"');
    expect(doc).toContain('dir="ltr"');
    expect(readerDocument("", null, "rtl", "light")).toContain('lang="" dir="rtl"');
  });
});
