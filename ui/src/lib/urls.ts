/** Parses a pasted list of addresses: one per line or separated by spaces.
 *  Blank lines and lines starting with `#` are skipped; scheme-less hosts (`lemonde.fr/x`) get
 *  `https://`; anything else that is not an http(s) address is reported as invalid;
 *  duplicates (after normalisation by the URL parser) are removed, first occurrence wins. */
export type ParsedUrls = { urls: string[]; invalid: string[] };

const HOST_LIKE = /^(localhost|(\d{1,3}\.){3}\d{1,3}|([a-z0-9\u00a1-\uffff]([a-z0-9\u00a1-\uffff-]*[a-z0-9\u00a1-\uffff])?\.)+[a-z\u00a1-\uffff]{2,}\.?)(:\d+)?([/?#].*)?$/i;

export function normaliseUrl(token: string): string | null {
  let t = token.trim().replace(/^[<("'«]+/, "").replace(/[>)"'»,;]+$/, "");
  if (!t) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(t) && !/^https?:\/\//i.test(t)) {
    // another scheme (mailto:, javascript:, ftp:) — but `host:port/x` also looks like a scheme
    if (!HOST_LIKE.test(t)) return null;
  }
  if (!/^https?:\/\//i.test(t)) {
    if (t.startsWith("//")) t = t.slice(2);
    if (!HOST_LIKE.test(t)) return null;
    t = "https://" + t;
  }
  try {
    const u = new URL(t);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    if (!u.hostname) return null;
    return u.href;
  } catch {
    return null;
  }
}

export function parseUrlList(text: string): ParsedUrls {
  const urls: string[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    for (const token of line.split(/\s+/)) {
      if (!token) continue;
      const url = normaliseUrl(token);
      if (url === null) {
        invalid.push(token);
        continue;
      }
      if (seen.has(url)) continue;
      seen.add(url);
      urls.push(url);
    }
  }
  return { urls, invalid };
}

/** Splits a tags field ("a, b/c; d") into clean, distinct names. */
export function parseTags(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[,;\n]/)) {
    const t = part
      .trim()
      .replace(/\s*\/\s*/g, "/")
      .replace(/^\/+|\/+$/g, "");
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}
