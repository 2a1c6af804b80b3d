import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { debounce, eager } from "./async";

describe("debounce and eager", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("debounce waits for the pause, then calls once with the last arguments", () => {
    const f = vi.fn();
    const d = debounce(f, 100);
    d("a");
    d("ab");
    vi.advanceTimersByTime(99);
    expect(f).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(f.mock.calls).toEqual([["ab"]]);
  });

  it("eager calls at once after a quiet spell, then gathers what follows until a pause", () => {
    const f = vi.fn();
    const d = eager(f, 100);
    d("a");
    expect(f.mock.calls).toEqual([["a"]]);
    vi.advanceTimersByTime(50);
    d("ab");
    vi.advanceTimersByTime(50);
    d("abo");
    vi.advanceTimersByTime(99);
    expect(f.mock.calls).toEqual([["a"]]);
    vi.advanceTimersByTime(1);
    expect(f.mock.calls).toEqual([["a"], ["abo"]]);
    // Quiet again: the next call answers at once.
    vi.advanceTimersByTime(100);
    d("x");
    expect(f.mock.calls).toEqual([["a"], ["abo"], ["x"]]);
    vi.advanceTimersByTime(200);
    expect(f).toHaveBeenCalledTimes(3);
  });

  it("eager's cancel drops the gathered call and flush runs it now", () => {
    const f = vi.fn();
    const d = eager(f, 100);
    d(1);
    d(2);
    d.cancel();
    vi.advanceTimersByTime(200);
    expect(f.mock.calls).toEqual([[1]]);
    d(3);
    d(4);
    d.flush();
    expect(f.mock.calls).toEqual([[1], [3], [4]]);
  });
});
