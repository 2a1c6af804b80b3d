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

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last: A | null = null;
  const d = ((...args: A) => {
    last = args;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const a = last!;
      last = null;
      fn(...a);
    }, ms);
  }) as Debounced<A>;
  d.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    last = null;
  };
  d.flush = () => {
    if (timer && last) {
      clearTimeout(timer);
      timer = null;
      const a = last;
      last = null;
      fn(...a);
    }
  };
  return d;
}

/** Like `debounce`, except that a call after a quiet spell of `ms` runs at once: the first
 *  keystroke of a search answers without waiting, the keystrokes that follow it within `ms` of
 *  each other are gathered into one call when typing pauses. */
export function eager<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
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
    if (timer) {
      last = args;
      clearTimeout(timer);
    } else {
      fn(...args);
    }
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
