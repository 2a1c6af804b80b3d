import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";

vi.mock("../lib/api", () => ({
  clipUrls: vi.fn(async () => 7),
  cancelClip: vi.fn(async () => null),
  toAppError: (e: unknown) => e,
  isAppError: () => true,
  listClippings: vi.fn(async () => ({ rows: [], total: 0 })),
  facets: vi.fn(),
  getClipping: vi.fn(),
}));

import * as api from "../lib/api";
import ClipDialog from "./ClipDialog.svelte";
import { clip } from "../lib/stores/clip.svelte";

describe("ClipDialog", () => {
  it("clips the pasted list and shows each address's state and the summary", async () => {
    clip.show();
    render(ClipDialog);
    const urls = screen.getByTestId("clip-urls") as HTMLTextAreaElement;
    await fireEvent.input(urls, { target: { value: "lemonde.fr/a\n# skip\nhttps://b.example/x https://b.example/x" } });
    await fireEvent.input(screen.getByTestId("clip-tags"), { target: { value: "press, iptv" } });
    await fireEvent.click(screen.getByTestId("clip-submit"));
    expect(api.clipUrls).toHaveBeenCalledWith({
      urls: ["https://lemonde.fr/a", "https://b.example/x"],
      tags: ["press", "iptv"],
      collection: null,
    });
    await tick();
    let items = screen.getAllByTestId("clip-item");
    expect(items.map((i) => i.dataset.state)).toEqual(["working", "working"]);

    clip.progress({ job: 7, url: "https://lemonde.fr/a", state: "added", id: 12, title: "Hello", error: null });
    clip.progress({ job: 7, url: "https://b.example/x", state: "failed", id: null, title: null,
      error: { code: "http", message: "The site answered 404 (not found)" } });
    clip.progress({ job: 99, url: "https://b.example/x", state: "added", id: 1, title: "other job", error: null });
    clip.done({ job: 7, added: 1, existing: 0, failed: 1, duplicates: 0, stopped: 0 });
    await tick();
    items = screen.getAllByTestId("clip-item");
    expect(items.map((i) => i.dataset.state)).toEqual(["added", "failed"]);
    expect(items[1].textContent).toContain("The site answered 404 (not found)");
    expect(screen.getByTestId("clip-summary").textContent).toContain("1 added");
  });
});
