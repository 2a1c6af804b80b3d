import { describe, expect, it } from "vitest";
import { clickSelect, emptySelection, keyDelta, moveIndex, scrollToShow, visibleRange } from "./selection";

const order = [10, 11, 12, 13, 14];
const between = (a: number, b: number) => {
  const [i, j] = [order.indexOf(a), order.indexOf(b)].sort((x, y) => x - y);
  return order.slice(i, j + 1);
};

describe("clickSelect", () => {
  it("a plain click selects one row and sets the anchor", () => {
    const s = clickSelect(emptySelection(), 12, { toggle: false, range: false }, between);
    expect([...s.ids]).toEqual([12]);
    expect(s.anchor).toBe(12);
  });
  it("Ctrl+click toggles a row", () => {
    let s = clickSelect(emptySelection(), 12, { toggle: false, range: false }, between);
    s = clickSelect(s, 14, { toggle: true, range: false }, between);
    expect([...s.ids].sort()).toEqual([12, 14]);
    s = clickSelect(s, 12, { toggle: true, range: false }, between);
    expect([...s.ids]).toEqual([14]);
  });
  it("Shift+click selects the range from the anchor, either direction", () => {
    let s = clickSelect(emptySelection(), 13, { toggle: false, range: false }, between);
    s = clickSelect(s, 11, { toggle: false, range: true }, between);
    expect([...s.ids].sort()).toEqual([11, 12, 13]);
    s = clickSelect(s, 14, { toggle: false, range: true }, between);
    expect([...s.ids].sort()).toEqual([13, 14]);
  });
});

describe("keyboard", () => {
  it("moves and clamps", () => {
    expect(moveIndex(-1, 1, 5)).toBe(0);
    expect(moveIndex(-1, -1, 5)).toBe(4);
    expect(moveIndex(4, 1, 5)).toBe(4);
    expect(moveIndex(2, -10, 5)).toBe(0);
    expect(moveIndex(0, 1, 0)).toBe(-1);
  });
  it("maps keys to moves", () => {
    expect(keyDelta("ArrowDown", 8)).toBe(1);
    expect(keyDelta("PageUp", 8)).toBe(-7);
    expect(keyDelta("End", 8)).toBe(Infinity);
    expect(keyDelta("a", 8)).toBeNull();
  });
  it("scrolls just enough to show a row", () => {
    expect(scrollToShow(0, 100, 250, 400)).toBe(0);
    expect(scrollToShow(3, 100, 0, 400)).toBe(0);
    expect(scrollToShow(5, 100, 0, 400)).toBe(200);
  });
  it("computes the rendered window with overscan", () => {
    expect(visibleRange(1000, 500, 100, 100_000, 2)).toEqual({ first: 8, last: 17 });
    expect(visibleRange(0, 500, 100, 3, 2)).toEqual({ first: 0, last: 3 });
  });
});
