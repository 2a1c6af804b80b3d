/** Cache of list pages for the virtualised list. Pure: the store decides when to fetch.
 *
 *  Pages are `pageSize` rows at offsets `page * pageSize`. `refresh()` keeps the rows on screen
 *  (no flash when the library changes) but marks every page stale so it is fetched again;
 *  `reset()` forgets everything (a new query); `reset(true)` keeps showing the last rows until
 *  the new listing's first page lands, so a search as you type never flashes empty rows between
 *  two answers. Responses carry the generation they were asked
 *  in, so an answer to an older query is dropped. */
export class PageCache<T extends { id: number }> {
  readonly pageSize: number;
  private pages = new Map<number, T[]>();
  /** The last listing's pages, shown until the first page of the next one lands. */
  private shown = new Map<number, T[]>();
  private stale = new Set<number>();
  private loading = new Map<number, number>(); // page -> generation
  generation = 0;
  total = 0;
  /** true once the first page of the current generation arrived */
  loaded = false;

  /** Pages kept at most: those farthest from the rows asked for go first, so that scrolling
   *  through a 100,000-row library does not keep every row it passed. */
  readonly maxPages: number;

  constructor(pageSize = 100, maxPages = 20) {
    this.pageSize = pageSize;
    this.maxPages = Math.max(2, maxPages);
  }

  reset(keepShown = false): number {
    // Typing on before an answer: keep what is on screen, the last listing that answered.
    if (!keepShown) this.shown = new Map();
    else if (this.loaded) this.shown = this.pages;
    this.pages = new Map();
    this.stale.clear();
    this.loading.clear();
    this.loaded = false;
    return ++this.generation;
  }

  refresh(): number {
    for (const p of this.pages.keys()) this.stale.add(p);
    this.loading.clear();
    return ++this.generation;
  }

  pageOf(index: number): number {
    return Math.floor(index / this.pageSize);
  }

  get(index: number): T | undefined {
    const p = this.pageOf(index);
    const page = this.pages.get(p) ?? (this.loaded ? undefined : this.shown.get(p));
    return page?.[index % this.pageSize];
  }

  /** Pages covering [start, end) (row indexes) that need fetching, and marks them loading. */
  claim(start: number, end: number): number[] {
    const out: number[] = [];
    if (end <= start) return out;
    if (!this.loaded) {
      // total unknown: the first page tells how far to go
      if (this.loading.get(0) === this.generation) return out;
      this.loading.set(0, this.generation);
      return [0];
    }
    this.evictFar(this.pageOf(Math.max(0, start)), this.pageOf(Math.max(start, end - 1)));
    const last = Math.min(end, this.total);
    for (let p = this.pageOf(Math.max(0, start)); p * this.pageSize < Math.max(last, 1); p++) {
      if (this.loading.get(p) === this.generation) continue;
      if (this.pages.has(p) && !this.stale.has(p)) continue;
      this.loading.set(p, this.generation);
      out.push(p);
    }
    return out;
  }

  /** Forgets the pages farthest from [first, last] while more than `maxPages` are kept. */
  private evictFar(first: number, last: number) {
    if (this.pages.size <= this.maxPages) return;
    const distance = (p: number) => (p < first ? first - p : p > last ? p - last : 0);
    const far = [...this.pages.keys()].sort((a, b) => distance(b) - distance(a));
    for (const p of far.slice(0, this.pages.size - this.maxPages)) {
      if (distance(p) === 0) break;
      this.pages.delete(p);
      this.stale.delete(p);
    }
  }

  /** Stores a fetched page; false when it answers an older generation (ignored). */
  store(page: number, rows: T[], total: number, generation: number): boolean {
    if (generation !== this.generation) return false;
    this.loading.delete(page);
    this.pages.set(page, rows);
    this.stale.delete(page);
    if (this.total !== total) {
      // the library changed size: pages beyond the new end are meaningless
      for (const p of [...this.pages.keys()]) if (p * this.pageSize >= total && p !== 0) this.pages.delete(p);
    }
    this.total = total;
    this.loaded = true;
    this.shown = new Map();
    return true;
  }

  failed(page: number, generation: number) {
    if (generation !== this.generation) return;
    this.loading.delete(page);
    this.shown = new Map();
  }

  /** Loaded rows in index order with their indexes. */
  *entries(): Generator<[number, T]> {
    const keys = [...this.pages.keys()].sort((a, b) => a - b);
    for (const p of keys) {
      const rows = this.pages.get(p)!;
      for (let i = 0; i < rows.length; i++) yield [p * this.pageSize + i, rows[i]];
    }
  }

  indexOf(id: number): number {
    for (const [i, r] of this.entries()) if (r.id === id) return i;
    return -1;
  }

  loadedCount(): number {
    let n = 0;
    for (const rows of this.pages.values()) n += rows.length;
    return n;
  }
}

/** Maps indexes of the list as shown (rows pending deletion hidden) to indexes in the cache.
 *  `hidden` are cache indexes, in any order. */
export class HiddenMap {
  private sorted: number[];
  constructor(hidden: Iterable<number>) {
    this.sorted = [...new Set(hidden)].sort((a, b) => a - b);
  }
  get size() {
    return this.sorted.length;
  }
  toCache(shown: number): number {
    let u = shown;
    for (const h of this.sorted) {
      if (h <= u) u++;
      else break;
    }
    return u;
  }
  toShown(cache: number): number {
    let before = 0;
    for (const h of this.sorted) {
      if (h < cache) before++;
      else if (h === cache) return -1;
      else break;
    }
    return cache - before;
  }
}
