import * as api from "../api";
import { JobState } from "./job.svelte";
import type { ImportFinished, ImportFormat, ImportProgress } from "../bindings";

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

class ImportStore extends JobState {
  open = $state(false);
  progress = $state.raw<ImportProgress | null>(null);
  result = $state.raw<ImportFinished | null>(null);

  show() {
    this.open = true;
    if (this.state !== "working") this.state = "idle";
  }

  close() {
    this.open = false;
  }

  async start(req: Parameters<typeof api.importFile>[0]) {
    this.progress = null;
    this.result = null;
    await this.launch(() => api.importFile(req));
  }

  async stop() {
    if (this.job !== null && this.state === "working") await api.cancelClip(this.job);
  }

  progressed(p: ImportProgress) {
    if (this.claim(p.job)) this.progress = p;
  }

  finished(f: ImportFinished) {
    if (!this.claim(f.job)) return;
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
