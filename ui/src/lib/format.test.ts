import { describe, expect, it } from "vitest";
import { escapeHtml, formatDate, parseDate, readingMinutes, rowDate, sourceLabel } from "./format";
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
