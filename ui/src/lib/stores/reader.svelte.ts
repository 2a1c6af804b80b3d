import * as api from "../api";
import type { ReaderView } from "../bindings";
import { Latest } from "../async";
import { toasts } from "./toasts.svelte";

class ReaderStore {
  view = $state.raw<ReaderView | null>(null);
  loading = $state(false);
  private latest = new Latest();
  private id: number | null = null;

  async show(id: number | null) {
    this.id = id;
    const ticket = this.latest.begin();
    if (id === null) {
      this.view = null;
      this.loading = false;
      return;
    }
    if (this.view?.clipping.id !== id) this.loading = true;
    try {
      const v = await api.getClipping(id);
      if (this.latest.isCurrent(ticket)) this.view = v;
    } catch (e) {
      if (!this.latest.isCurrent(ticket)) return;
      this.view = null;
      if (api.isAppError(e) && e.code === "not_found") return; // deleted meanwhile
      toasts.error(e);
    } finally {
      if (this.latest.isCurrent(ticket)) this.loading = false;
    }
  }

  reload() {
    if (this.id !== null) void this.show(this.id);
  }

  async saveTitle(title: string) {
    const v = this.view;
    const t = title.trim();
    if (!v || !t || t === v.clipping.title) return;
    try {
      const c = await api.editClipping(v.clipping.id, { title: t, notes: null });
      if (this.view?.clipping.id === c.id) this.view = { ...this.view, clipping: c };
    } catch (e) {
      toasts.error(e);
    }
  }

  async saveNotes(id: number, notes: string) {
    try {
      const c = await api.editClipping(id, { title: null, notes });
      if (this.view?.clipping.id === c.id) this.view = { ...this.view, clipping: { ...this.view.clipping, notes: c.notes } };
      return true;
    } catch (e) {
      toasts.error(e);
      return false;
    }
  }

  async setTags(tags: string[]) {
    const v = this.view;
    if (!v) return;
    const before = v.clipping.tags;
    this.view = { ...v, clipping: { ...v.clipping, tags } }; // optimistic
    try {
      const after = await api.setClippingTags(v.clipping.id, tags);
      if (this.view?.clipping.id === v.clipping.id) this.view = { ...this.view, clipping: { ...this.view.clipping, tags: after } };
    } catch (e) {
      if (this.view?.clipping.id === v.clipping.id) this.view = { ...this.view, clipping: { ...this.view.clipping, tags: before } };
      toasts.error(e);
    }
  }
}

export const reader = new ReaderStore();
