/** Keeps only the latest answer: each `begin()` returns a ticket, `isCurrent(ticket)` says
 *  whether no newer request was started since. */
export class Latest {
  private n = 0;
  begin(): number {
    return ++this.n;
  }
  isCurrent(ticket: number): boolean {
    return ticket === this.n;
  }
}

export type Debounced<A extends unknown[]> = ((...args: A) => void) & {
  cancel(): void;
  flush(): void;
};

/** Calls `fn` with the last arguments once calls pause for `ms`. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  return gathered(fn, ms, false);
}

/** Like `debounce`, except that a call after a quiet spell of `ms` runs at once: the first
 *  keystroke of a search answers without waiting, the keystrokes that follow it within `ms` of
 *  each other are gathered into one call when typing pauses. */
export function eager<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  return gathered(fn, ms, true);
}

function gathered<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
  runFirstAtOnce: boolean,
): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last: A | null = null;
  const quiet = () => {
    timer = null;
    if (last) {
      const a = last;
      last = null;
      fn(...a);
    }
  };
  const d = ((...args: A) => {
    if (runFirstAtOnce && !timer) fn(...args);
    else last = args;
    if (timer) clearTimeout(timer);
    timer = setTimeout(quiet, ms);
  }) as Debounced<A>;
  d.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    last = null;
  };
  d.flush = () => {
    if (timer && last) {
      clearTimeout(timer);
      quiet();
    }
  };
  return d;
}
