/** Delete with undo. A deletion waits `delay` ms before it is sent; meanwhile the rows are
 *  hidden and the user may undo. Starting another deletion sends the waiting one at once. */
export type Timers = {
  set: (fn: () => void, ms: number) => unknown;
  clear: (h: unknown) => void;
};

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class DeleteQueue {
  private pending: { ids: number[]; timer: unknown } | null = null;

  constructor(
    private commit: (ids: number[]) => void | Promise<unknown>,
    private onChange: (pending: number[]) => void = () => {},
    private delay = 6000,
    private timers: Timers = realTimers,
  ) {}

  get pendingIds(): number[] {
    return this.pending?.ids ?? [];
  }

  schedule(ids: number[]) {
    if (!ids.length) return;
    this.flush();
    const timer = this.timers.set(() => this.flush(), this.delay);
    this.pending = { ids: [...ids], timer };
    this.onChange(this.pendingIds);
  }

  /** Cancels the waiting deletion; returns the ids that come back. */
  undo(): number[] {
    if (!this.pending) return [];
    const { ids, timer } = this.pending;
    this.timers.clear(timer);
    this.pending = null;
    this.onChange([]);
    return ids;
  }

  /** Sends the waiting deletion now. */
  flush() {
    if (!this.pending) return;
    const { ids, timer } = this.pending;
    this.timers.clear(timer);
    this.pending = null;
    void this.commit(ids);
    this.onChange([]);
  }
}
