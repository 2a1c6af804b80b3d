import type { AppError } from "../bindings";
import { toAppError } from "../api";

export type Toast = {
  id: number;
  kind: "error" | "info" | "undo";
  message: string;
  action?: { label: string; run: () => void; testid?: string };
};

class Toasts {
  list = $state<Toast[]>([]);
  private next = 1;
  private timers = new Map<number, ReturnType<typeof setTimeout>>();

  show(kind: Toast["kind"], message: string, opts: { action?: Toast["action"]; ms?: number } = {}): number {
    const id = this.next++;
    this.list = [...this.list, { id, kind, message, action: opts.action }];
    const ms = opts.ms ?? (kind === "error" ? 8000 : 4000);
    if (ms > 0) this.timers.set(id, setTimeout(() => this.dismiss(id), ms));
    return id;
  }

  info(message: string) {
    return this.show("info", message);
  }

  error(e: unknown) {
    const err: AppError = toAppError(e);
    return this.show("error", err.message || err.code);
  }

  dismiss(id: number) {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
    this.list = this.list.filter((x) => x.id !== id);
  }
}

export const toasts = new Toasts();
