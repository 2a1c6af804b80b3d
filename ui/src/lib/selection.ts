/** Multi-selection of list rows by id, with an anchor for Shift+click. Pure. */
export type Selection = { ids: Set<number>; anchor: number | null; focus: number | null };

export const emptySelection = (): Selection => ({ ids: new Set(), anchor: null, focus: null });

export type ClickMods = { toggle: boolean; range: boolean };

/** `idsBetween(a, b)` returns the ids of rows between two ids inclusive (in list order). */
export function clickSelect(
  sel: Selection,
  id: number,
  mods: ClickMods,
  idsBetween: (a: number, b: number) => number[],
): Selection {
  if (mods.range && sel.anchor !== null) {
    const range = idsBetween(sel.anchor, id);
    const ids = mods.toggle ? new Set(sel.ids) : new Set<number>();
    for (const r of range) ids.add(r);
    return { ids, anchor: sel.anchor, focus: id };
  }
  if (mods.toggle) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id, focus: id };
  }
  return { ids: new Set([id]), anchor: id, focus: id };
}

/** Arrow keys: the index to move to, clamped; from nothing, ↓ goes to the first row and ↑ to
 *  the last. */
export function moveIndex(current: number, delta: number, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return delta > 0 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, current + delta));
}

/** Keyboard keys the list handles, mapped to a move in rows (page = rows visible). */
export function keyDelta(key: string, page: number): number | null {
  switch (key) {
    case "ArrowDown": return 1;
    case "ArrowUp": return -1;
    case "PageDown": return Math.max(1, page - 1);
    case "PageUp": return -Math.max(1, page - 1);
    case "Home": return -Infinity;
    case "End": return Infinity;
    default: return null;
  }
}

/** scrollTop that brings row `index` (fixed height) into view, or the current one if visible. */
export function scrollToShow(index: number, rowHeight: number, scrollTop: number, viewport: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return bottom - viewport;
  return scrollTop;
}

/** The visible window of a virtualised list, with `overscan` extra rows each side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 6) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}
