import { describe, expect, it } from "vitest";
import { defaultFileName, selectionFromValue, withExtension } from "./export.svelte";

describe("export helpers", () => {
  const day = new Date(2024, 4, 7);
  it("names the file after the selection and the date, with the format's extension", () => {
    expect(defaultFileName("pdf", "Revue de presse été", day)).toBe("clipbook-revue-de-presse-ete-2024-05-07.pdf");
    expect(defaultFileName("markdown", "", day)).toBe("clipbook-2024-05-07.md");
    expect(defaultFileName("markdown-dir", "iptv", day)).toBe("clipbook-iptv-2024-05-07");
  });
  it("swaps extensions when the format changes", () => {
    expect(withExtension("/tmp/out.pdf", "json")).toBe("/tmp/out.json");
    expect(withExtension("C:\\x\\out.md", "html")).toBe("C:\\x\\out.html");
    expect(withExtension("/tmp/out.html", "markdown-dir")).toBe("/tmp/out");
    expect(withExtension("/tmp/review", "pdf")).toBe("/tmp/review.pdf");
    expect(withExtension("", "pdf")).toBe("");
  });
  it("maps select values to ExportSelection", () => {
    expect(selectionFromValue("collection:Veille: IPTV", [])).toEqual({ kind: "collection", value: "Veille: IPTV" });
    expect(selectionFromValue("tag:piracy/iptv", [])).toEqual({ kind: "tag", value: "piracy/iptv" });
    expect(selectionFromValue("query:a:b", [])).toEqual({ kind: "query", value: "a:b" });
    expect(selectionFromValue("ids", [1, 2])).toEqual({ kind: "ids", ids: [1, 2] });
  });
});
