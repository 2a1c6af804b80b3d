import { describe, expect, it } from "vitest";
import { normaliseUrl, parseTags, parseUrlList } from "./urls";

describe("parseUrlList", () => {
  it("takes one address per line and several per line separated by spaces", () => {
    const r = parseUrlList("https://a.example/1\nhttps://b.example/2 https://c.example/3");
    expect(r.urls).toEqual(["https://a.example/1", "https://b.example/2", "https://c.example/3"]);
  });
  it("skips blank lines and # comments", () => {
    expect(parseUrlList("\n  \n# a comment https://x.example\nhttps://y.example/\n").urls).toEqual(["https://y.example/"]);
  });
  it("gives scheme-less hosts https://", () => {
    expect(parseUrlList("lemonde.fr/x\nwww.bbc.co.uk").urls).toEqual(["https://lemonde.fr/x", "https://www.bbc.co.uk/"]);
  });
  it("removes duplicates after normalisation, first occurrence wins", () => {
    expect(parseUrlList("https://A.example/x\nhttps://a.example/x\na.example/x").urls).toEqual(["https://a.example/x"]);
  });
  it("reports what is not an address instead of guessing", () => {
    const r = parseUrlList("hello https://ok.example/ javascript:alert(1) mailto:a@b.c");
    expect(r.urls).toEqual(["https://ok.example/"]);
    expect(r.invalid).toEqual(["hello", "javascript:alert(1)", "mailto:a@b.c"]);
  });
  it("keeps http and ports (the end-to-end tests serve pages on 127.0.0.1)", () => {
    expect(parseUrlList("http://127.0.0.1:8080/page.html").urls).toEqual(["http://127.0.0.1:8080/page.html"]);
  });
  it("strips punctuation around pasted addresses", () => {
    expect(normaliseUrl("<https://a.example/x>,")).toBe("https://a.example/x");
  });
});

describe("parseTags", () => {
  it("splits on commas, trims, tidies slashes and removes duplicates", () => {
    expect(parseTags(" piracy / iptv, law ,,law; /x/ ")).toEqual(["piracy/iptv", "law", "x"]);
  });
});
