import * as api from "../api";
import type { Facets } from "../bindings";
import { Latest } from "../async";
import { allTagNames, buildTagTree, type TagNode } from "../tagtree";
import { toasts } from "./toasts.svelte";
import { settings } from "./settings.svelte";

class FacetsStore {
  data = $state.raw<Facets | null>(null);
  private latest = new Latest();

  tree: TagNode[] = $derived(buildTagTree(this.data?.tags ?? [], settings.lang));
  tagNames: string[] = $derived(allTagNames(this.data?.tags ?? []));
  manualCollections = $derived((this.data?.collections ?? []).filter((c) => c.kind === "manual"));

  async load() {
    const ticket = this.latest.begin();
    try {
      const f = await api.facets();
      if (this.latest.isCurrent(ticket)) this.data = f;
    } catch (e) {
      if (this.latest.isCurrent(ticket)) toasts.error(e);
    }
  }

  collection(name: string) {
    return this.data?.collections.find((c) => c.name === name) ?? null;
  }
}

export const facets = new FacetsStore();
