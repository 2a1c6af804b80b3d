import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeleteQueue } from "./undo";

describe("DeleteQueue", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends the deletion only when the delay expires", () => {
    const commit = vi.fn();
    const q = new DeleteQueue(commit, () => {}, 6000);
    q.schedule([1, 2]);
    expect(q.pendingIds).toEqual([1, 2]);
    vi.advanceTimersByTime(5999);
    expect(commit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(commit).toHaveBeenCalledWith([1, 2]);
    expect(q.pendingIds).toEqual([]);
  });
  it("undo brings the rows back and nothing is sent", () => {
    const commit = vi.fn();
    const q = new DeleteQueue(commit, () => {}, 6000);
    q.schedule([3]);
    expect(q.undo()).toEqual([3]);
    vi.advanceTimersByTime(10_000);
    expect(commit).not.toHaveBeenCalled();
  });
  it("a new deletion sends the waiting one at once", () => {
    const commit = vi.fn();
    const changes: number[][] = [];
    const q = new DeleteQueue(commit, (p) => changes.push(p), 6000);
    q.schedule([1]);
    q.schedule([2]);
    expect(commit).toHaveBeenCalledTimes(1);
    expect(commit).toHaveBeenCalledWith([1]);
    expect(q.pendingIds).toEqual([2]);
    vi.advanceTimersByTime(6000);
    expect(commit).toHaveBeenLastCalledWith([2]);
    expect(changes.at(-1)).toEqual([]);
  });
});
