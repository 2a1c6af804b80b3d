// Small UI state shared across components: dialogs, confirm prompts, focus targets.
class UiStore {
  settingsOpen = $state(false);
  menuOpen = $state(false);
  /** which ⋯ menu is open: "tag:NAME" or "col:NAME" */
  menuFor = $state<string | null>(null);
  /** the tag or collection being renamed inline */
  renamingTag = $state<string | null>(null);
  renamingCollection = $state<string | null>(null);
  /** collapsed tag-tree nodes by full name */
  collapsed = $state<Record<string, boolean>>({});
  confirm = $state<{ message: string; action: string; resolve: (ok: boolean) => void } | null>(null);
  searchInput: HTMLInputElement | null = null;
  /** rows that fit in the list viewport (PageUp/PageDown) */
  listPageRows = 8;
  /** the row being dragged, for drops that cannot read dataTransfer */
  dragIds: number[] = [];
  dragTag: string | null = null;

  /** Asks a yes/no question in a modal; resolves true when confirmed. */
  ask(message: string, action: string): Promise<boolean> {
    return new Promise((resolve) => {
      this.confirm?.resolve(false);
      this.confirm = { message, action, resolve };
    });
  }

  answer(ok: boolean) {
    const c = this.confirm;
    this.confirm = null;
    c?.resolve(ok);
  }
}

export const ui = new UiStore();
