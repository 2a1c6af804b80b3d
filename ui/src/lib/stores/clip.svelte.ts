import * as api from "../api";
import type { AppError, ClipFinished, ClipProgress, ClipState } from "../bindings";
import { parseTags, parseUrlList } from "../urls";
import { toasts } from "./toasts.svelte";

export type ClipItem = { url: string; state: ClipState; id: number | null; title: string | null; error: AppError | null };

/** The clip box: the addresses being clipped and their live state. Events may arrive before
 *  `clip_urls` has answered with the job id, so events for our addresses are taken while the
 *  job is unknown. */
class ClipStore {
  open = $state(false);
  text = $state("");
  tags = $state("");
  items = $state<ClipItem[]>([]);
  job = $state<number | null>(null);
  running = $state(false);
  finished = $state.raw<ClipFinished | null>(null);
  invalid = $state<string[]>([]);
  private awaiting = false;

  show(prefill?: string) {
    this.open = true;
    if (prefill !== undefined && !this.running) {
      this.text = prefill;
      this.reset();
    }
  }

  close() {
    this.open = false;
  }

  reset() {
    this.items = [];
    this.finished = null;
    this.job = null;
    this.invalid = [];
  }

  async start(): Promise<boolean> {
    if (this.running) return false;
    const { urls, invalid } = parseUrlList(this.text);
    this.invalid = invalid;
    if (!urls.length) {
      this.items = [];
      return false;
    }
    this.finished = null;
    this.job = null;
    this.items = urls.map((url) => ({ url, state: "working", id: null, title: null, error: null }));
    this.running = true;
    this.awaiting = true;
    try {
      this.job = await api.clipUrls({ urls, tags: parseTags(this.tags), collection: null });
    } catch (e) {
      this.running = false;
      this.items = this.items.map((i) => ({ ...i, state: "failed", error: api.toAppError(e) }));
      toasts.error(e);
    } finally {
      this.awaiting = false;
    }
    return true;
  }

  private mine(job: number): boolean {
    if (this.job !== null) return job === this.job;
    return this.awaiting || this.running;
  }

  progress(p: ClipProgress) {
    if (!this.mine(p.job)) return;
    if (this.job === null) this.job = p.job;
    const i = this.items.findIndex((x) => x.url === p.url);
    const item: ClipItem = { url: p.url, state: p.state, id: p.id, title: p.title, error: p.error };
    if (i >= 0) this.items[i] = item;
    else this.items.push(item);
  }

  done(f: ClipFinished) {
    if (!this.mine(f.job)) return;
    if (this.job === null) this.job = f.job;
    this.finished = f;
    this.running = false;
    // anything still "working" when the job ends was not reported: it was stopped
    for (const it of this.items) if (it.state === "working") it.state = "stopped";
  }

  async stop() {
    if (this.job === null) return;
    try {
      await api.cancelClip(this.job);
    } catch (e) {
      toasts.error(e);
    }
  }
}

export const clip = new ClipStore();
