import { describe, expect, it } from "vitest";
import { HiddenMap, PageCache } from "./pagecache";

const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i }));

describe("PageCache", () => {
  it("keeps a bounded number of pages, forgetting those farthest from the view", () => {
    const c = new PageCache<{ id: number }>(10, 3);
    c.claim(0, 5);
    c.store(0, rows(0, 10), 1000, c.generation);
    for (let p = 1; p < 6; p++) {
      expect(c.claim(p * 10, p * 10 + 5)).toEqual([p]);
      c.store(p, rows(p * 10, 10), 1000, c.generation);
    }
    expect(c.loadedCount()).toBeLessThanOrEqual(4 * 10);
    expect(c.get(55)).toEqual({ id: 55 });
    expect(c.get(3)).toBeUndefined(); // page 0 was farthest
    expect(c.claim(0, 5)).toEqual([0]); // and is fetched again when scrolled back
  });
  it("asks for the first page only until the total is known", () => {
    const c = new PageCache<{ id: number }>(100);
    expect(c.claim(0, 300)).toEqual([0]);
    expect(c.claim(0, 300)).toEqual([]); // already loading
    expect(c.store(0, rows(0, 100), 1000, c.generation)).toBe(true);
    expect(c.claim(0, 300)).toEqual([1, 2]);
    expect(c.get(42)).toEqual({ id: 42 });
    expect(c.get(150)).toBeUndefined();
  });
  it("does not ask past the end", () => {
    const c = new PageCache<{ id: number }>(100);
    c.claim(0, 10);
    c.store(0, rows(0, 100), 150, c.generation);
    expect(c.claim(0, 1000)).toEqual([1]);
  });
  it("drops answers to an older query", () => {
    const c = new PageCache<{ id: number }>(100);
    c.claim(0, 10);
    const old = c.generation;
    c.reset();
    expect(c.store(0, rows(0, 100), 100, old)).toBe(false);
    expect(c.get(0)).toBeUndefined();
    expect(c.claim(0, 10)).toEqual([0]);
  });
  it("a new query keeps the rows shown until its first page lands", () => {
    const c = new PageCache<{ id: number }>(100);
    c.claim(0, 10);
    c.store(0, rows(0, 100), 100, c.generation);
    c.reset(true);
    expect(c.get(5)).toEqual({ id: 5 });
    expect(c.loadedCount()).toBe(0);
    expect(c.claim(0, 10)).toEqual([0]);
    c.reset(true); // typing on: still the rows of the last listing that answered
    expect(c.get(5)).toEqual({ id: 5 });
    expect(c.claim(0, 10)).toEqual([0]);
    c.store(0, rows(500, 3), 3, c.generation);
    expect(c.get(0)).toEqual({ id: 500 });
    expect(c.get(5)).toBeUndefined();
    c.reset(true);
    c.claim(0, 10);
    c.failed(0, c.generation);
    expect(c.get(0)).toBeUndefined();
  });
  it("refresh keeps rows on screen but fetches them again", () => {
    const c = new PageCache<{ id: number }>(100);
    c.claim(0, 10);
    c.store(0, rows(0, 100), 100, c.generation);
    c.refresh();
    expect(c.get(5)).toEqual({ id: 5 });
    expect(c.claim(0, 10)).toEqual([0]);
    c.store(0, rows(1000, 99), 99, c.generation);
    expect(c.get(5)).toEqual({ id: 1005 });
    expect(c.total).toBe(99);
  });
  it("finds a row's index by id", () => {
    const c = new PageCache<{ id: number }>(10);
    c.claim(0, 5);
    c.store(0, rows(100, 10), 30, c.generation);
    c.claim(20, 25);
    c.store(2, rows(300, 10), 30, c.generation);
    expect(c.indexOf(303)).toBe(23);
    expect(c.indexOf(999)).toBe(-1);
    expect(c.loadedCount()).toBe(20);
  });
});

describe("HiddenMap", () => {
  it("skips hidden rows when mapping shown indexes to cache indexes", () => {
    const h = new HiddenMap([2, 5, 3]);
    expect([0, 1, 2, 3, 4].map((i) => h.toCache(i))).toEqual([0, 1, 4, 6, 7]);
    expect(h.toShown(4)).toBe(2);
    expect(h.toShown(3)).toBe(-1);
    expect(h.size).toBe(3);
  });
});
