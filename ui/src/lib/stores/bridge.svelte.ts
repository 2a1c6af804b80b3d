// The browser bridge as the window sees it: pairing requests waiting for the user's answer,
// and the service's status (port, paired browsers) for the settings.
import * as api from "../api";
import type { BridgeStatus, PairingPrompt } from "../bindings";
import { toasts } from "./toasts.svelte";

/** A request the user has not answered is dropped when the service forgets it (2 minutes). */
export const PROMPT_TTL_MS = 120_000;

export class BridgeStore {
  prompts = $state<PairingPrompt[]>([]);
  status = $state<BridgeStatus | null>(null);
  private timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** The request shown now (one at a time, oldest first). */
  get current(): PairingPrompt | null {
    return this.prompts[0] ?? null;
  }

  asked(prompt: PairingPrompt) {
    if (this.prompts.some((p) => p.id === prompt.id)) return;
    this.prompts = [...this.prompts, prompt];
    this.timers.set(prompt.id, setTimeout(() => this.drop(prompt.id), PROMPT_TTL_MS));
  }

  private drop(id: string) {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
    this.prompts = this.prompts.filter((p) => p.id !== id);
  }

  /** Answers the request shown; the next one, if any, shows next. */
  async answer(accept: boolean) {
    const prompt = this.current;
    if (!prompt) return;
    this.drop(prompt.id);
    try {
      await api.answerPairing(prompt.id, accept);
    } catch (e) {
      toasts.error(e);
    }
    if (accept) await this.load();
  }

  async load() {
    try {
      this.status = await api.bridgeStatus();
    } catch (e) {
      toasts.error(e);
    }
  }

  /** Saves the sites allowed to pair (one per line); true when they were accepted. */
  async saveSites(text: string): Promise<boolean> {
    const sites = text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
    try {
      const kept = await api.setAllowedSites(sites);
      if (this.status) this.status = { ...this.status, allowed_sites: kept };
      return true;
    } catch (e) {
      toasts.error(e);
      return false;
    }
  }

  async revoke(id: string) {
    try {
      await api.revokePairing(id);
    } catch (e) {
      toasts.error(e);
    }
    await this.load();
  }
}

export const bridge = new BridgeStore();
