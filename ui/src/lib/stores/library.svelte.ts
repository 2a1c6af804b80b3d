// The list: query, filters, sort, the page cache behind the virtualised list, selection,
// the open clipping and delete-with-undo. Components read it; only this store fetches rows.
import * as api from "../api";
import type { Filters, Row, Sort } from "../bindings";
import { eager, Latest } from "../async";
import { HiddenMap, PageCache } from "../pagecache";
import { clickSelect, emptySelection, moveIndex, type ClickMods, type Selection } from "../selection";
import { DeleteQueue } from "../undo";
import { toasts } from "./toasts.svelte";

export const PAGE_SIZE = 100;
export const SEARCH_DEBOUNCE_MS = 120;
export const UNDO_MS = 6000;

export const emptyFilters = (): Filters => ({
  tags: [],
  collection: null,
  site: null,
  language: null,
  since: null,
  until: null,
});

export function hasFilters(f: Filters): boolean {
  return !!(f.tags.length || f.collection || f.site || f.language || f.since || f.until);
}

export class Library {
  /** text of the search field */
  query = $state("");
  /** the query the list currently shows (from `query`: at once after a pause in typing, then when typing pauses) */
  appliedQuery = $state("");
  filters = $state<Filters>(emptyFilters());
  sort = $state<Sort>("date");
  /** bumped whenever the cache changes, so readers of rows re-render */
  version = $state(0);
  total = $state(0);
  loaded = $state(false);
  /** rows waiting for deletion (undo) or being deleted: hidden from the list */
  hiddenIds = $state<number[]>([]);
  selection = $state.raw<Selection>(emptySelection());
  /** shown index of the keyboard cursor */
  cursor = $state(-1);
  openId = $state<number | null>(null);
  /** the list scrolls this index into view when `scrollTick` changes */
  scrollTarget = $state(-1);
  scrollTick = $state(0);
  /** the kind of the collection filtered on ("manual" | "saved-search"), for the sort menu */
  collectionKind = $state<string | null>(null);

  cache = new PageCache<Row>(PAGE_SIZE);
  private view = { first: 0, last: 40 };
  private sortBeforeSearch: Sort = "date";
  private selectOnLoad = -1;
  private undoToast = 0;
  private listeners = new Set<() => void>();
  queue: DeleteQueue;

  constructor(private undoMs = UNDO_MS) {
    this.queue = new DeleteQueue(
      (ids) => this.commitDelete(ids),
      () => {},
      this.undoMs,
    );
  }

  hidden = $derived.by(() => {
    void this.version;
    const idx: number[] = [];
    for (const id of this.hiddenIds) {
      const i = this.cache.indexOf(id);
      if (i >= 0) idx.push(i);
    }
    return new HiddenMap(idx);
  });

  /** number of rows shown */
  get count(): number {
    return Math.max(0, this.total - this.hidden.size);
  }

  get searching(): boolean {
    return this.appliedQuery.trim() !== "";
  }

  get selectedIds(): number[] {
    return [...this.selection.ids].filter((id) => !this.hiddenIds.includes(id));
  }

  /** sorts that make sense now */
  get sortOptions(): Sort[] {
    const s: Sort[] = [];
    if (this.searching) s.push("relevance");
    if (this.filters.collection && this.collectionKind === "manual") s.push("position");
    s.push("date", "added", "title");
    return s;
  }

  get canReorder(): boolean {
    const f = this.filters;
    return (
      this.sort === "position" && !this.searching && !!f.collection && this.collectionKind === "manual" &&
      !f.tags.length && !f.site && !f.language && !f.since && !f.until
    );
  }

  rowAt(shown: number): Row | undefined {
    void this.version;
    return this.cache.get(this.hidden.toCache(shown));
  }

  /** Called by the list with the rows on screen; fetches what is missing. */
  setViewport(first: number, last: number) {
    this.view = { first, last };
    this.ensure();
  }

  private ensure() {
    const h = this.hidden;
    const start = h.toCache(this.view.first);
    const end = h.toCache(Math.max(this.view.first, this.view.last - 1)) + 1;
    for (const p of this.cache.claim(start, end)) void this.fetchPage(p, this.cache.generation);
  }

  private async fetchPage(page: number, gen: number) {
    // User Timing marks: the app benchmark splits a search's time into the answer and the render.
    if (page === 0) performance.mark("list-sent");
    try {
      const res = await api.listClippings({
        query: this.appliedQuery,
        filters: $state.snapshot(this.filters),
        sort: this.sort,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      if (page === 0) performance.mark("list-answered");
      if (!this.cache.store(page, res.rows, res.total, gen)) return;
      this.total = res.total;
      this.loaded = true;
      this.version++;
      if (this.selectOnLoad >= 0) {
        const row = this.rowAt(this.selectOnLoad);
        if (row) {
          this.selection = { ids: new Set([row.id]), anchor: row.id, focus: row.id };
          this.selectOnLoad = -1;
        }
      }
      for (const l of this.listeners) l();
      // the first answer tells the total: fetch the rest of the viewport
      this.ensure();
    } catch (e) {
      this.cache.failed(page, gen);
      if (gen === this.cache.generation) {
        this.loaded = true;
        toasts.error(e);
        for (const l of this.listeners) l();
      }
    }
  }

  /** Runs `fn` after the next page lands (tests, `data-ready`). */
  onPage(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** New query, filters or sort: forget the rows and start at the top (the rows on screen stay
   *  until the new listing's first page replaces them). */
  reload() {
    this.cache.reset(true);
    this.selectOnLoad = -1;
    this.cursor = -1;
    this.version++;
    this.view = { first: 0, last: Math.max(40, this.view.last - this.view.first) };
    this.scrollTarget = 0;
    this.scrollTick++;
    this.ensure();
  }

  /** Something changed in the library: fetch the shown pages again, keeping scroll & selection. */
  refresh() {
    this.cache.refresh();
    this.ensure();
  }

  private applyQuery = eager(() => this.commitQuery(), SEARCH_DEBOUNCE_MS);

  setQuery(q: string) {
    this.query = q;
    this.applyQuery();
  }

  /** Applies the search text now (Enter, Escape, tests). */
  commitQuery() {
    this.applyQuery.cancel();
    const q = this.query;
    // Blanks around the words change nothing in the answer: reloading would only redraw the
    // same rows (and drop the ones the pointer is over).
    if (q.trim() === this.appliedQuery.trim()) return;
    const was = this.appliedQuery.trim() !== "";
    const now = q.trim() !== "";
    if (!was && now) {
      this.sortBeforeSearch = this.sort;
      this.sort = "relevance";
    } else if (was && !now && this.sort === "relevance") {
      this.sort = this.sortBeforeSearch;
    }
    this.appliedQuery = q;
    this.reload();
  }

  clearQuery() {
    this.query = "";
    this.commitQuery();
  }

  setSort(s: Sort) {
    if (s === this.sort) return;
    this.sort = s;
    this.reload();
  }

  setFilters(f: Partial<Filters>, collectionKind?: string | null) {
    const next = { ...$state.snapshot(this.filters), ...f };
    if ("collection" in f) {
      this.collectionKind = f.collection ? (collectionKind ?? null) : null;
      if (f.collection && collectionKind === "manual" && !this.searching) this.sort = "position";
      else if (this.sort === "position") this.sort = "date";
    }
    this.filters = next;
    this.reload();
  }

  clearFilters() {
    this.collectionKind = null;
    if (this.sort === "position") this.sort = "date";
    this.filters = emptyFilters();
    this.reload();
  }

  // ---- selection ----

  private idsBetween = (a: number, b: number): number[] => {
    let ia = this.cache.indexOf(a);
    let ib = this.cache.indexOf(b);
    if (ia < 0 || ib < 0) return [b];
    if (ia > ib) [ia, ib] = [ib, ia];
    const out: number[] = [];
    for (const [i, r] of this.cache.entries()) {
      if (i >= ia && i <= ib && !this.hiddenIds.includes(r.id)) out.push(r.id);
    }
    return out;
  };

  click(id: number, mods: ClickMods) {
    this.selection = clickSelect(this.selection, id, mods, this.idsBetween);
    const i = this.cache.indexOf(id);
    this.cursor = i >= 0 ? this.hidden.toShown(i) : -1;
    if (!mods.toggle && !mods.range) this.open(id);
  }

  isSelected(id: number): boolean {
    return this.selection.ids.has(id);
  }

  clearSelection() {
    this.selection = emptySelection();
  }

  async selectAll() {
    const loadedAll = this.cache.loaded && this.cache.loadedCount() >= this.total;
    let ids: number[];
    if (loadedAll) {
      ids = [...this.cache.entries()].map(([, r]) => r.id);
    } else {
      try {
        ids = await api.listIds({
          query: this.appliedQuery,
          filters: $state.snapshot(this.filters),
          sort: this.sort,
          offset: 0,
          limit: 0,
        });
      } catch (e) {
        toasts.error(e);
        return;
      }
    }
    ids = ids.filter((id) => !this.hiddenIds.includes(id));
    this.selection = { ids: new Set(ids), anchor: ids[0] ?? null, focus: this.selection.focus };
  }

  /** ↑/↓ and friends: moves the cursor and selects the row under it. */
  move(delta: number) {
    const n = this.count;
    let cur = this.cursor;
    if (cur < 0 && this.selection.focus !== null) {
      const i = this.cache.indexOf(this.selection.focus);
      if (i >= 0) cur = this.hidden.toShown(i);
    }
    const next = delta === Infinity ? n - 1 : delta === -Infinity ? 0 : moveIndex(cur, delta, n);
    if (next < 0 || n === 0) return;
    this.cursor = next;
    this.scrollTarget = next;
    this.scrollTick++;
    const row = this.rowAt(next);
    if (row) {
      this.selection = { ids: new Set([row.id]), anchor: row.id, focus: row.id };
    } else {
      this.selectOnLoad = next;
      this.setViewport(Math.max(0, next - 10), next + 10);
    }
  }

  openFocused() {
    const id = this.selection.focus ?? (this.selection.ids.size === 1 ? [...this.selection.ids][0] : null);
    if (id !== null) this.open(id);
  }

  open(id: number | null) {
    this.openId = id;
  }

  // ---- delete with undo ----

  deleteSelected() {
    const ids = this.selectedIds;
    if (!ids.length) return;
    if (this.undoToast) toasts.dismiss(this.undoToast);
    this.queue.schedule(ids); // sends the previous waiting deletion, if any
    this.hiddenIds = [...new Set([...this.hiddenIds, ...ids])];
    this.selection = emptySelection();
    this.cursor = -1;
    if (this.openId !== null && ids.includes(this.openId)) this.openId = null;
    this.version++;
    this.ensure();
    return ids;
  }

  /** Shows the Undo toast for the waiting deletion (kept out of deleteSelected for tests). */
  showUndoToast(message: string, undoLabel: string) {
    this.undoToast = toasts.show("undo", message, {
      ms: this.undoMs,
      action: { label: undoLabel, run: () => this.undoDelete(), testid: "undo" },
    });
  }

  undoDelete() {
    const ids = this.queue.undo();
    if (this.undoToast) toasts.dismiss(this.undoToast);
    this.undoToast = 0;
    this.hiddenIds = this.hiddenIds.filter((id) => !ids.includes(id));
    this.version++;
    if (ids.length) this.selection = { ids: new Set(ids), anchor: ids[0], focus: ids[0] };
  }

  private async commitDelete(ids: number[]) {
    if (this.undoToast) {
      toasts.dismiss(this.undoToast);
      this.undoToast = 0;
    }
    try {
      await api.deleteClippings(ids);
    } catch (e) {
      toasts.error(e);
    }
    // the rows stay hidden until the list has been fetched again without them
    const done = this.onPage(() => {
      done();
      this.hiddenIds = this.hiddenIds.filter((id) => !ids.includes(id));
      this.version++;
    });
    this.refresh();
  }
}

export const library = new Library();
