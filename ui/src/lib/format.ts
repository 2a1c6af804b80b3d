/** Dates, reading time and escaping, all pure. */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(s: string | null | undefined): Date | null {
  if (!s) return null;
  const m = DATE_ONLY.exec(s);
  // a bare date is a calendar day, not midnight UTC: keep it on the same day in every zone
  const d = m ? new Date(+m[1], +m[2] - 1, +m[3]) : new Date(s);
  return isNaN(d.getTime()) ? null : d;
}

// Formatters by language and style, built once: a list row formats its date on every render,
// and an ICU formatter costs about a millisecond to build and native memory the garbage
// collector does not see.
const formatters = new Map<string, unknown>();

function cached<T>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (f === undefined) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

const dayFormat = (lang: string) =>
  cached(`day:${lang}`, () => new Intl.DateTimeFormat(lang, { year: "numeric", month: "short", day: "numeric" }));
const dateTimeFormat = (lang: string) =>
  cached(`datetime:${lang}`, () => new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }));
const numberFormat = (lang: string) => cached(`number:${lang}`, () => new Intl.NumberFormat(lang));

/** The plural rules of a language (cached). */
export const pluralRules = (lang: string) => cached(`plural:${lang}`, () => new Intl.PluralRules(lang));

export function formatDate(s: string | null | undefined, lang: string): string {
  const d = parseDate(s);
  if (!d) return s ?? "";
  return dayFormat(lang).format(d);
}

export function formatDateTime(s: string | null | undefined, lang: string): string {
  const d = parseDate(s);
  if (!d) return s ?? "";
  return dateTimeFormat(lang).format(d);
}

export function formatNumber(n: number, lang: string): string {
  return numberFormat(lang).format(n);
}

/** Minutes at 230 words a minute, at least one. */
export function readingMinutes(words: number): number {
  return Math.max(1, Math.round(words / 230));
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Date shown in a row: published date, else the date it was clipped. */
export function rowDate(r: { published_at: string | null; created_at: string }): string {
  return r.published_at ?? r.created_at;
}

export function sourceLabel(r: { site_name: string | null; host: string }): string {
  return r.site_name?.trim() || r.host.replace(/^www\./, "");
}
