import * as api from "../api";
import { JobState } from "./job.svelte";
import type { ExportFinished, ExportFormat, ExportProgress, ExportReport, ExportSelection } from "../bindings";

export const FORMATS: ExportFormat[] = ["pdf", "markdown", "markdown-dir", "html", "json"];

export function extensionOf(f: ExportFormat): string | null {
  switch (f) {
    case "pdf": return "pdf";
    case "markdown": return "md";
    case "markdown-dir": return null;
    case "html": return "html";
    case "json": return "json";
  }
}

/** A default file name: `clipbook-<what>-<date>.<ext>` (a folder name for markdown-dir). */
export function defaultFileName(f: ExportFormat, what: string, date = new Date()): string {
  const d = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
  const slug = what
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  const base = slug ? `clipbook-${slug}-${d}` : `clipbook-${d}`;
  const ext = extensionOf(f);
  return ext ? `${base}.${ext}` : base;
}

/** Swaps the extension of `path` for the one of format `f` (drops it for a folder). */
export function withExtension(path: string, f: ExportFormat): string {
  if (!path.trim()) return path;
  const ext = extensionOf(f);
  const m = /^(.*[\\/])?([^\\/]*)$/.exec(path)!;
  const dir = m[1] ?? "";
  let name = m[2];
  name = name.replace(/\.(pdf|md|markdown|html|htm|json)$/i, "");
  return dir + (ext ? `${name}.${ext}` : name);
}

/** `<select>` values ("collection:NAME", "tag:NAME", "query:TEXT", "ids") ↔ ExportSelection. */
export function selectionFromValue(value: string, ids: number[]): ExportSelection {
  if (value === "ids") return { kind: "ids", ids };
  const i = value.indexOf(":");
  const kind = value.slice(0, i);
  const v = value.slice(i + 1);
  if (kind === "collection" || kind === "tag" || kind === "query") return { kind, value: v };
  return { kind: "query", value: "" };
}

class ExportStore extends JobState {
  open = $state(false);
  done = $state(0);
  total = $state(0);
  report = $state.raw<ExportReport | null>(null);

  show() {
    this.open = true;
    if (this.state !== "working") this.state = "idle";
  }

  close() {
    this.open = false;
  }

  async start(req: Parameters<typeof api.startExport>[0]) {
    this.done = 0;
    this.total = 0;
    this.report = null;
    await this.launch(() => api.startExport(req));
  }

  progress(p: ExportProgress) {
    if (!this.claim(p.job)) return;
    this.done = p.done;
    this.total = p.total;
  }

  finished(f: ExportFinished) {
    if (!this.claim(f.job)) return;
    if (f.report) {
      this.state = "done";
      this.report = f.report;
    } else {
      this.state = "failed";
      this.error = f.error ?? { code: "internal", message: "Export failed" };
    }
  }
}

export const exporter = new ExportStore();
