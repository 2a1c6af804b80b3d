// Library mutations started from the UI: call the core, report failures in plain words, then
// refresh what changed (the `library-changed` event would too; the refreshes coalesce).
import * as api from "./api";
import type { Filters } from "./bindings";
import { renamedTag } from "./tagtree";
import { t, tn } from "./i18n.svelte";
import { library } from "./stores/library.svelte";
import { facets } from "./stores/facets.svelte";
import { reader } from "./stores/reader.svelte";
import { toasts } from "./stores/toasts.svelte";
import { ui } from "./stores/ui.svelte";

function refreshAll() {
  library.refresh();
  void facets.load();
  reader.reload();
}

async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    const r = await fn();
    refreshAll();
    return r;
  } catch (e) {
    toasts.error(e);
    return undefined;
  }
}

export const actions = {
  async renameTag(from: string, toRaw: string) {
    const to = toRaw.trim().replace(/\s*\/\s*/g, "/").replace(/^\/+|\/+$/g, "");
    if (!to || to === from) return;
    const r = await run(() => api.renameTag(from, to));
    if (r !== undefined && library.filters.tags.some((x) => renamedTag(x, from, to) !== x)) {
      library.setFilters({ tags: library.filters.tags.map((x) => renamedTag(x, from, to)) });
    }
  },

  async mergeTags(from: string, into: string) {
    if (!(await ui.ask(t("confirm_merge", { from, into }), t("merge")))) return;
    const r = await run(() => api.mergeTags(from, into));
    if (r !== undefined && library.filters.tags.includes(from)) library.setFilters({ tags: [into] });
  },

  async deleteTag(name: string, hasChildren: boolean) {
    const msg = hasChildren ? t("confirm_delete_tag_children", { name }) : t("confirm_delete_tag", { name });
    if (!(await ui.ask(msg, t("delete")))) return;
    const r = await run(() => api.deleteTag(name));
    if (r !== undefined && library.filters.tags.some((x) => x === name || x.startsWith(name + "/"))) {
      library.setFilters({ tags: [] });
    }
  },

  async tagClippings(ids: number[], tags: string[]) {
    if (!ids.length || !tags.length) return;
    const n = await run(() => api.tagClippings(ids, tags));
    if (n !== undefined) toasts.info(tn("tagged", ids.length));
  },

  async addToCollection(name: string, ids: number[]) {
    if (!ids.length) return;
    const n = await run(() => api.addToCollection(name, ids));
    if (n !== undefined) toasts.info(tn("added_to", ids.length, { name }));
  },

  async createCollection(nameRaw: string, saved: { query: string; filters: Filters } | null) {
    const name = nameRaw.trim();
    if (!name) return null;
    return (await run(() => api.createCollection({ name, description: "", saved }))) ?? null;
  },

  async renameCollection(from: string, toRaw: string) {
    const to = toRaw.trim();
    if (!to || to === from) return;
    const r = await run(() => api.renameCollection(from, to));
    if (r !== undefined && library.filters.collection === from) {
      library.setFilters({ collection: to }, library.collectionKind);
    }
  },

  async deleteCollection(name: string) {
    if (!(await ui.ask(t("confirm_delete_collection", { name }), t("delete")))) return;
    const r = await run(() => api.deleteCollection(name));
    if (r !== undefined && library.filters.collection === name) library.setFilters({ collection: null });
  },

  async moveInCollection(name: string, id: number, position: number) {
    await run(() => api.moveInCollection(name, id, position));
  },
};
