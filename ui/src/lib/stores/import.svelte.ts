import * as api from "../api";
import type { AppError, ImportFinished, ImportFormat, ImportProgress } from "../bindings";

export const IMPORT_FORMATS: ImportFormat[] = ["pocket", "netscape", "wallabag", "omnivore", "urls"];

/** The file types the open dialog offers for a format. */
export function importExtensions(f: ImportFormat): string[] {
  switch (f) {
    case "pocket": return ["html", "htm", "csv"];
    case "netscape": return ["html", "htm"];
    case "wallabag": return ["json"];
    case "omnivore": return ["zip"];
    case "urls": return ["txt", "csv", "list"];
  }
}

/** Guesses the format from a chosen file's name, keeping `current` when nothing says otherwise. */
export function guessFormat(path: string, current: ImportFormat): ImportFormat {
  const name = path.toLowerCase().split(/[\\/]/).pop() ?? "";
  if (name.endsWith(".zip")) return "omnivore";
  if (name.endsWith(".json")) return "wallabag";
  if (name.endsWith(".txt")) return "urls";
  if (name.startsWith("ril_export") || name.includes("pocket")) return "pocket";
  if (name.includes("bookmark")) return "netscape";
  return current;
}

class ImportStore {
  open = $state(false);
  job = $state<number | null>(null);
  state = $state<"idle" | "working" | "done" | "failed">("idle");
  progress = $state.raw<ImportProgress | null>(null);
  result = $state.raw<ImportFinished | null>(null);
  error = $state.raw<AppError | null>(null);
  private awaiting = false;

  show() {
    this.open = true;
    if (this.state !== "working") this.state = "idle";
  }

  close() {
    this.open = false;
  }

  async start(req: Parameters<typeof api.importFile>[0]) {
    this.state = "working";
    this.progress = null;
    this.result = null;
    this.error = null;
    this.job = null;
    this.awaiting = true;
    try {
      this.job = await api.importFile(req);
    } catch (e) {
      this.state = "failed";
      this.error = api.toAppError(e);
    } finally {
      this.awaiting = false;
    }
  }

  async stop() {
    if (this.job !== null && this.state === "working") await api.cancelClip(this.job);
  }

  private mine(job: number) {
    return this.job !== null ? this.job === job : this.awaiting;
  }

  progressed(p: ImportProgress) {
    if (!this.mine(p.job)) return;
    this.job = p.job;
    this.progress = p;
  }

  finished(f: ImportFinished) {
    if (!this.mine(f.job)) return;
    this.job = f.job;
    this.progress = f.progress;
    this.result = f;
    if (f.error) {
      this.state = "failed";
      this.error = f.error;
    } else {
      this.state = "done";
    }
  }
}

export const importer = new ImportStore();
