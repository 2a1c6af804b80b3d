import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../api", () => ({
  answerPairing: vi.fn(async () => null),
  bridgeStatus: vi.fn(async () => ({ port: 52525, error: null, paired: [], allowed_sites: [] })),
  revokePairing: vi.fn(async () => true),
  setAllowedSites: vi.fn(async (sites: string[]) => sites.map((s) => s.replace(/\/$/, ""))),
  toAppError: (e: unknown) => e,
}));

import * as api from "../api";
import { BridgeStore, PROMPT_TTL_MS } from "./bridge.svelte";
import { toasts } from "./toasts.svelte";

const prompt = (id: string) => ({ id, origin: "chrome-extension://abc", code: "123456", name: "Chrome" });

describe("browser bridge store", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.mocked(api.answerPairing).mockClear();
    toasts.list = [];
  });
  afterEach(() => vi.useRealTimers());

  it("shows requests one at a time, oldest first, each once", async () => {
    const b = new BridgeStore();
    b.asked(prompt("a"));
    b.asked(prompt("b"));
    b.asked(prompt("a"));
    expect(b.prompts.map((p) => p.id)).toEqual(["a", "b"]);
    expect(b.current?.id).toBe("a");
    await b.answer(true);
    expect(api.answerPairing).toHaveBeenCalledWith("a", true);
    expect(api.bridgeStatus).toHaveBeenCalled();
    expect(b.current?.id).toBe("b");
    await b.answer(false);
    expect(api.answerPairing).toHaveBeenLastCalledWith("b", false);
    expect(b.current).toBeNull();
  });

  it("drops a request the service has forgotten", () => {
    const b = new BridgeStore();
    b.asked(prompt("a"));
    vi.advanceTimersByTime(PROMPT_TTL_MS + 1);
    expect(b.current).toBeNull();
  });

  it("says so in plain words when an answer comes too late", async () => {
    vi.mocked(api.answerPairing).mockRejectedValueOnce({
      code: "expired",
      message: "This pairing request has expired.",
    });
    const b = new BridgeStore();
    b.asked(prompt("a"));
    await b.answer(true);
    expect(toasts.list.map((t) => t.message)).toContain("This pairing request has expired.");
  });

  it("sends the allowed sites one a line, blank lines left out, and keeps what the app kept", async () => {
    const b = new BridgeStore();
    await b.load();
    expect(await b.saveSites("https://a.example/\n\n  https://b.example  \n")).toBe(true);
    expect(api.setAllowedSites).toHaveBeenCalledWith(["https://a.example/", "https://b.example"]);
    expect(b.status?.allowed_sites).toEqual(["https://a.example", "https://b.example"]);
    vi.mocked(api.setAllowedSites).mockRejectedValueOnce({ code: "invalid_input", message: "“x” is not a web address" });
    expect(await b.saveSites("x")).toBe(false);
    expect(toasts.list.map((t) => t.message)).toContain("“x” is not a web address");
  });
});
