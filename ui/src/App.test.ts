import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";

const rows = Array.from({ length: 3 }, (_, i) => ({
  id: i + 1, url: `https://e.example/${i}`, title: `Title ${i + 1}`, authors: [], published_at: "2024-05-01",
  site_name: "Example", host: "e.example", language: "en", lead_image_url: null, excerpt: null, word_count: 500,
  tags: ["press"], created_at: "2024-05-02", snippet_html: null, thumbnail: null,
}));

const found = rows.map((r) => ({ ...r, id: r.id + 10, title: `Found ${r.id}`, snippet_html: "a <mark>word</mark>" }));

vi.mock("./lib/api", () => ({
  listClippings: vi.fn(async (req: { query: string }) =>
    req.query.trim() ? { rows: found, total: found.length } : { rows, total: rows.length }),
  facets: vi.fn(async () => ({ total: 3, tags: [{ name: "press", count: 3, total: 3 }], collections: [], sources: [], languages: [] })),
  getClipping: vi.fn(),
  onLibraryChanged: () => () => {},
  onClipProgress: () => () => {},
  onClipFinished: () => () => {},
  onExportProgress: () => () => {},
  onExportFinished: () => () => {},
  onImportProgress: () => () => {},
  onImportFinished: () => () => {},
  onBridgePairing: () => () => {},
  onBridgeClipped: () => () => {},
  toAppError: (e: unknown) => e,
  isAppError: () => true,
}));

import App from "./App.svelte";

describe("App", () => {
  it("renders the first page, the sidebar and marks the document ready", async () => {
    render(App);
    await waitFor(() => expect(document.documentElement.dataset.ready).toBe("1"));
    await waitFor(() => expect(screen.getAllByTestId("row").length).toBe(3));
    expect(screen.getAllByTestId("row-title")[0].textContent).toBe("Title 1");
    expect(screen.getByTestId("tag-item").dataset.tag).toBe("press");
  });

  it("fills the rows on screen in place with a search's results", async () => {
    render(App);
    await waitFor(() => expect(screen.getAllByTestId("row").length).toBe(3));
    const before = screen.getAllByTestId("row");
    await fireEvent.input(screen.getByTestId("search-input"), { target: { value: "word" } });
    await waitFor(() => expect(screen.getAllByTestId("row-title")[0].textContent).toBe("Found 1"));
    const after = screen.getAllByTestId("row");
    expect(after.map((r) => r.dataset.id)).toEqual(["11", "12", "13"]);
    // the same elements, not rebuilt: scrolling and searching reuse the rows' DOM
    after.forEach((row, i) => expect(row).toBe(before[i]));
  });
});
