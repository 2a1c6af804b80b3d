import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => {})) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn(), save: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openPath: vi.fn(), openUrl: vi.fn(), revealItemInDir: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import * as api from "./api";

describe("api", () => {
  it("passes the contract's argument names", async () => {
    vi.mocked(invoke).mockResolvedValueOnce(3);
    await expect(api.mergeTags("a", "b")).resolves.toBe(3);
    expect(invoke).toHaveBeenLastCalledWith("merge_tags", { from: "a", into: "b" });
    vi.mocked(invoke).mockResolvedValueOnce(null);
    await api.moveInCollection("c", 7, 0);
    expect(invoke).toHaveBeenLastCalledWith("move_in_collection", { name: "c", id: 7, position: 0 });
  });
  it("passes AppErrors through and turns strings into internal errors", async () => {
    vi.mocked(invoke).mockRejectedValueOnce({ code: "not_found", message: "No such clipping" });
    await expect(api.getClipping(1)).rejects.toEqual({ code: "not_found", message: "No such clipping" });
    vi.mocked(invoke).mockRejectedValueOnce("boom");
    await expect(api.facets()).rejects.toEqual({ code: "internal", message: "boom" });
    vi.mocked(invoke).mockRejectedValueOnce(new Error("bad"));
    await expect(api.facets()).rejects.toEqual({ code: "internal", message: "bad" });
  });
});
