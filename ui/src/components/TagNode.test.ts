import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";

vi.mock("../lib/api", () => ({
  renameTag: vi.fn(async () => 2),
  deleteTag: vi.fn(async () => 2),
  mergeTags: vi.fn(async () => 2),
  facets: vi.fn(async () => ({ total: 0, tags: [], collections: [], sources: [], languages: [] })),
  listClippings: vi.fn(async () => ({ rows: [], total: 0 })),
  getClipping: vi.fn(),
  toAppError: (e: unknown) => e,
  isAppError: () => true,
}));

import * as api from "../lib/api";
import TagNode from "./TagNode.svelte";
import { buildTagTree } from "../lib/tagtree";
import { library } from "../lib/stores/library.svelte";
import { ui } from "../lib/stores/ui.svelte";

const tree = buildTagTree([
  { name: "piracy", count: 1, total: 3 },
  { name: "piracy/iptv", count: 2, total: 2 },
]);

describe("TagNode", () => {
  it("shows the total and filters on click", async () => {
    render(TagNode, { node: tree[0] });
    const items = screen.getAllByTestId("tag-item");
    expect(items.map((i) => i.dataset.tag)).toEqual(["piracy", "piracy/iptv"]);
    expect(items[0].textContent).toContain("3");
    await fireEvent.click(items[1]);
    expect(library.filters.tags).toEqual(["piracy/iptv"]);
  });

  it("renames inline from the ⋯ menu: Enter commits, Escape cancels", async () => {
    render(TagNode, { node: tree[0] });
    await fireEvent.click(screen.getAllByTestId("tag-menu")[1]);
    await fireEvent.click(screen.getByTestId("tag-action-rename"));
    let input = screen.getByTestId("tag-rename-input") as HTMLInputElement;
    expect(input.value).toBe("piracy/iptv");
    await fireEvent.keyDown(input, { key: "Escape" });
    expect(screen.queryByTestId("tag-rename-input")).toBeNull();
    expect(api.renameTag).not.toHaveBeenCalled();

    await fireEvent.dblClick(screen.getAllByTestId("tag-item")[1]);
    input = screen.getByTestId("tag-rename-input") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "piracy / streaming" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await tick();
    expect(api.renameTag).toHaveBeenCalledWith("piracy/iptv", "piracy/streaming");
  });

  it("asks before deleting", async () => {
    render(TagNode, { node: tree[0] });
    await fireEvent.click(screen.getAllByTestId("tag-menu")[0]);
    await fireEvent.click(screen.getByTestId("tag-action-delete"));
    expect(ui.confirm?.message).toContain("piracy");
    ui.answer(true);
    await tick();
    await tick();
    expect(api.deleteTag).toHaveBeenCalledWith("piracy");
  });
});
