import * as api from "../api";
import type { AppError } from "../bindings";

/** A background job started by a command and followed through its events (export, import):
 *  its state, and which events are its own — those of its id, or any that arrive while the
 *  command has not answered with the id yet. */
export class JobState {
  job = $state<number | null>(null);
  state = $state<"idle" | "working" | "done" | "failed">("idle");
  error = $state.raw<AppError | null>(null);
  private awaiting = false;

  /** Runs the command that starts the job; a refusal leaves the job `failed`. */
  protected async launch(command: () => Promise<number>) {
    this.state = "working";
    this.error = null;
    this.job = null;
    this.awaiting = true;
    try {
      this.job = await command();
    } catch (e) {
      this.state = "failed";
      this.error = api.toAppError(e);
    } finally {
      this.awaiting = false;
    }
  }

  /** Whether an event of `job` is this job's (adopting its id when it is). */
  protected claim(job: number): boolean {
    const mine = this.job !== null ? this.job === job : this.awaiting;
    if (mine) this.job = job;
    return mine;
  }
}
