import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ListQuery, Row } from "../bindings";

vi.mock("../api", () => ({
  listClippings: vi.fn(),
  listIds: vi.fn(),
  deleteClippings: vi.fn(async (ids: number[]) => ids.length),
  toAppError: (e: unknown) => e,
}));

import * as api from "../api";
import { Library, SEARCH_DEBOUNCE_MS } from "./library.svelte";

function row(id: number): Row {
  return {
    id, url: `https://e.example/${id}`, title: `T${id}`, authors: [], published_at: null, site_name: null,
    host: "e.example", language: null, lead_image_url: null, excerpt: null, word_count: 0, tags: [],
    created_at: "2024-01-01", snippet_html: null, thumbnail: null,
  };
}

/** A fake core holding `n` rows; `list_clippings` answers after the given delays. */
function fakeCore(n: number) {
  let ids = Array.from({ length: n }, (_, i) => i + 1);
  const matching = (req: ListQuery) =>
    req.query ? ids.filter((id) => String(id).includes(req.query)) : ids;
  vi.mocked(api.listClippings).mockImplementation(async (req: ListQuery) => {
    const m = matching(req);
    return { rows: m.slice(req.offset, req.offset + req.limit).map(row), total: m.length };
  });
  vi.mocked(api.listIds).mockImplementation(async (req: ListQuery) => matching(req));
  return { remove: (gone: number[]) => (ids = ids.filter((id) => !gone.includes(id))) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("Library store", () => {
  beforeEach(() => vi.clearAllMocks());
  afterEach(() => vi.useRealTimers());

  it("loads pages as the viewport needs them", async () => {
    fakeCore(1000);
    const lib = new Library();
    lib.setViewport(0, 20);
    await settle();
    expect(lib.total).toBe(1000);
    expect(lib.rowAt(0)?.id).toBe(1);
    lib.setViewport(450, 470);
    await settle();
    expect(lib.rowAt(455)?.id).toBe(456);
    const offsets = vi.mocked(api.listClippings).mock.calls.map((c) => c[0].offset);
    expect(offsets).toEqual([0, 400]);
  });

  it("selects every row of a large listing by its ids, without loading the rows", async () => {
    fakeCore(5000);
    const lib = new Library();
    lib.setViewport(0, 20);
    await settle();
    await lib.selectAll();
    expect(lib.selectedIds.length).toBe(5000);
    expect(vi.mocked(api.listIds)).toHaveBeenCalledTimes(1);
    // Only the visible page was ever fetched as rows.
    expect(vi.mocked(api.listClippings).mock.calls.every((c) => c[0].limit <= 500)).toBe(true);
  });

  it("ignores a stale search answer", async () => {
    let release!: () => void;
    fakeCore(50);
    const lib = new Library();
    lib.setViewport(0, 20);
    await settle();
    const real = vi.mocked(api.listClippings).getMockImplementation()!;
    vi.mocked(api.listClippings).mockImplementationOnce(async (req) => {
      await new Promise<void>((r) => (release = r));
      return real(req);
    });
    lib.query = "1";
    lib.commitQuery(); // slow answer
    lib.query = "2";
    lib.commitQuery(); // fast answer
    await settle();
    release();
    await settle();
    expect(lib.appliedQuery).toBe("2");
    expect(lib.rowAt(0)?.id).toBe(2);
    expect(lib.sort).toBe("relevance");
    lib.clearQuery();
    expect(lib.sort).toBe("date");
  });

  it("searches at the first keystroke, then when typing pauses", async () => {
    vi.useFakeTimers();
    fakeCore(50);
    const lib = new Library();
    lib.setViewport(0, 20);
    await vi.runOnlyPendingTimersAsync();
    lib.setQuery("1");
    expect(lib.appliedQuery).toBe("1");
    lib.setQuery("12");
    expect(lib.appliedQuery).toBe("1");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(lib.appliedQuery).toBe("12");
    expect(lib.rowAt(0)?.id).toBe(12);
  });

  it("does not search again for the same words with other blanks around them", async () => {
    vi.useFakeTimers();
    fakeCore(50);
    const lib = new Library();
    lib.setViewport(0, 20);
    await vi.runOnlyPendingTimersAsync();
    lib.setQuery("12");
    await vi.runOnlyPendingTimersAsync();
    const calls = vi.mocked(api.listClippings).mock.calls.length;
    const first = lib.cache.generation;
    lib.setQuery("12 ");
    lib.setQuery(" 12");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(lib.cache.generation).toBe(first);
    expect(vi.mocked(api.listClippings).mock.calls.length).toBe(calls);
    lib.setQuery("");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    const cleared = lib.cache.generation;
    lib.setQuery(" ");
    lib.setQuery("");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(lib.cache.generation).toBe(cleared);
    expect(lib.rowAt(0)?.id).toBe(1);
  });

  it("hides rows pending deletion, undoes, and deletes when the toast expires", async () => {
    vi.useFakeTimers();
    const core = fakeCore(5);
    const lib = new Library(6000);
    lib.setViewport(0, 20);
    await vi.runOnlyPendingTimersAsync();
    lib.click(2, { toggle: false, range: false });
    lib.click(3, { toggle: true, range: false });
    lib.deleteSelected();
    expect(lib.count).toBe(3);
    expect([0, 1, 2].map((i) => lib.rowAt(i)?.id)).toEqual([1, 4, 5]);
    lib.undoDelete();
    expect(lib.count).toBe(5);
    expect(api.deleteClippings).not.toHaveBeenCalled();

    lib.click(4, { toggle: false, range: false });
    lib.deleteSelected();
    core.remove([4]);
    await vi.advanceTimersByTimeAsync(6000);
    expect(api.deleteClippings).toHaveBeenCalledWith([4]);
    await vi.runOnlyPendingTimersAsync();
    expect(lib.count).toBe(4);
    expect(lib.hiddenIds).toEqual([]);
  });

  it("moves the selection with the keyboard and selects ranges with Shift", async () => {
    fakeCore(10);
    const lib = new Library();
    lib.setViewport(0, 10);
    await settle();
    lib.move(1);
    expect([...lib.selection.ids]).toEqual([1]);
    lib.move(1);
    lib.move(1);
    expect([...lib.selection.ids]).toEqual([3]);
    lib.click(6, { toggle: false, range: true });
    expect([...lib.selection.ids].sort((a, b) => a - b)).toEqual([3, 4, 5, 6]);
    await lib.selectAll();
    expect(lib.selection.ids.size).toBe(10);
  });
});
