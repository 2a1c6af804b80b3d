import { describe, expect, it } from "vitest";
import { guessFormat, importExtensions, IMPORT_FORMATS } from "./import.svelte";

describe("import helpers", () => {
  it("guesses the format from the file's name", () => {
    expect(guessFormat("/home/me/omnivore-export.zip", "pocket")).toBe("omnivore");
    expect(guessFormat("C:\\Users\\me\\wallabag.json", "pocket")).toBe("wallabag");
    expect(guessFormat("/tmp/ril_export.html", "netscape")).toBe("pocket");
    expect(guessFormat("/tmp/bookmarks_12_11_2020.html", "pocket")).toBe("netscape");
    expect(guessFormat("/tmp/morning.txt", "pocket")).toBe("urls");
    expect(guessFormat("/tmp/export.html", "netscape")).toBe("netscape");
  });
  it("offers file types for every format", () => {
    for (const f of IMPORT_FORMATS) expect(importExtensions(f).length).toBeGreaterThan(0);
  });
});
