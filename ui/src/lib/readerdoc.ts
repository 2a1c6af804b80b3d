import { escapeHtml } from "./format";

/** The srcdoc of the sandboxed reader frame. `bodyHtml` was sanitised in Rust; the attribute
 *  values are escaped here because the language comes from the clipped page. */
export function readerDocument(
  bodyHtml: string,
  language: string | null,
  direction: string,
  theme: "light" | "dark",
): string {
  const lang = escapeHtml(language ?? "");
  const dir = direction === "rtl" ? "rtl" : "ltr";
  return (
    `<!doctype html><html lang="${lang}" dir="${escapeHtml(dir)}"><head><meta charset="utf-8">` +
    `<link rel="stylesheet" href="/reader.css"><meta name="color-scheme" content="${theme}">` +
    `</head><body class="${theme}"><article>${bodyHtml}</article></body></html>`
  );
}
