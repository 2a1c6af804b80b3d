import type { TagCount } from "./bindings";

export type TagNode = {
  /** last path segment, shown in the tree */
  label: string;
  /** full tag name ("piracy/iptv") */
  name: string;
  /** clippings carrying exactly this tag */
  count: number;
  /** clippings carrying this tag or a descendant */
  total: number;
  children: TagNode[];
};

/** Builds the nested tree from the flat `facets.tags`. Parents that are not tags themselves are
 *  synthesised with count 0; their total is the server's when known, else the sum of their
 *  children (an upper bound: a clipping tagged with two siblings counts twice). */
export function buildTagTree(tags: TagCount[], locale = "en"): TagNode[] {
  const byName = new Map<string, TagNode>();
  const known = new Set<string>();
  const roots: TagNode[] = [];

  function node(name: string): TagNode {
    let n = byName.get(name);
    if (n) return n;
    const slash = name.lastIndexOf("/");
    n = { label: slash >= 0 ? name.slice(slash + 1) : name, name, count: 0, total: 0, children: [] };
    byName.set(name, n);
    if (slash > 0) node(name.slice(0, slash)).children.push(n);
    else roots.push(n);
    return n;
  }

  for (const t of tags) {
    const name = t.name.replace(/^\/+|\/+$/g, "");
    if (!name) continue;
    const n = node(name);
    n.count = t.count;
    n.total = t.total;
    known.add(name);
  }

  const collator = new Intl.Collator(locale, { sensitivity: "base", numeric: true });
  function finish(list: TagNode[]) {
    list.sort((a, b) => collator.compare(a.label, b.label));
    for (const n of list) {
      finish(n.children);
      if (!known.has(n.name)) n.total = n.children.reduce((s, c) => s + c.total, 0);
    }
  }
  finish(roots);
  return roots;
}

/** Full names of every node, depth first (for autocomplete). */
export function allTagNames(tags: TagCount[]): string[] {
  const names = new Set<string>();
  for (const t of tags) {
    const parts = t.name.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) names.add(parts.slice(0, i).join("/"));
  }
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** Autocomplete: names that start with the text, then names with a segment that starts with it,
 *  then names containing it; excluding those already chosen. */
export function suggestTags(all: string[], text: string, exclude: string[] = [], max = 8): string[] {
  const q = text.trim().toLowerCase();
  if (!q) return [];
  const ex = new Set(exclude.map((e) => e.toLowerCase()));
  const scored: [number, string][] = [];
  for (const name of all) {
    const l = name.toLowerCase();
    if (ex.has(l)) continue;
    let score = -1;
    if (l.startsWith(q)) score = 0;
    else if (l.split("/").some((s) => s.startsWith(q))) score = 1;
    else if (l.includes(q)) score = 2;
    if (score >= 0) scored.push([score, name]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return scored.slice(0, max).map((s) => s[1]);
}

/** The new name of `name` when a tag `from` is renamed to `to` (children follow their parent). */
export function renamedTag(name: string, from: string, to: string): string {
  if (name === from) return to;
  if (name.startsWith(from + "/")) return to + name.slice(from.length);
  return name;
}
