import { describe, expect, it } from "vitest";
import { allTagNames, buildTagTree, renamedTag, suggestTags } from "./tagtree";

describe("buildTagTree", () => {
  it("nests names on slashes with the server's own count and total", () => {
    const tree = buildTagTree([
      { name: "piracy", count: 2, total: 7 },
      { name: "piracy/iptv", count: 4, total: 4 },
      { name: "piracy/streams", count: 1, total: 1 },
      { name: "law", count: 3, total: 3 },
    ]);
    expect(tree.map((n) => n.name)).toEqual(["law", "piracy"]);
    const piracy = tree[1];
    expect(piracy).toMatchObject({ label: "piracy", count: 2, total: 7 });
    expect(piracy.children.map((c) => [c.label, c.name, c.count, c.total])).toEqual([
      ["iptv", "piracy/iptv", 4, 4],
      ["streams", "piracy/streams", 1, 1],
    ]);
  });
  it("synthesises parents that are not tags, summing their children", () => {
    const tree = buildTagTree([
      { name: "a/b/c", count: 2, total: 2 },
      { name: "a/d", count: 1, total: 1 },
    ]);
    expect(tree).toHaveLength(1);
    expect(tree[0]).toMatchObject({ name: "a", count: 0, total: 3 });
    expect(tree[0].children[0]).toMatchObject({ name: "a/b", count: 0, total: 2 });
    expect(tree[0].children[0].children[0]).toMatchObject({ name: "a/b/c", label: "c" });
  });
  it("sorts naturally and case-insensitively", () => {
    const tree = buildTagTree(["b", "A", "item10", "item9"].map((name) => ({ name, count: 1, total: 1 })));
    expect(tree.map((n) => n.name)).toEqual(["A", "b", "item9", "item10"]);
  });
});

describe("tag names", () => {
  it("lists every level for autocomplete", () => {
    expect(allTagNames([{ name: "x/y/z", count: 1, total: 1 }])).toEqual(["x", "x/y", "x/y/z"]);
  });
  it("suggests prefix matches first, then segment matches, excluding chosen ones", () => {
    const all = ["iptv", "piracy", "piracy/iptv", "politics", "sip"];
    expect(suggestTags(all, "ip", ["iptv"])).toEqual(["piracy/iptv", "sip"]);
    expect(suggestTags(all, "pi")).toEqual(["piracy", "piracy/iptv"]);
    expect(suggestTags(all, " ")).toEqual([]);
  });
  it("renames children with their parent", () => {
    expect(renamedTag("a/b", "a", "z")).toBe("z/b");
    expect(renamedTag("ab", "a", "z")).toBe("ab");
    expect(renamedTag("a", "a", "p/a")).toBe("p/a");
  });
});
