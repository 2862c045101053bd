// Runs a unit of background work over and over: straight on while it reports more to do, otherwise
// after a pause that a wake() cuts short. It never keeps the process alive by itself, and close()
// waits for the unit in progress, so a store can be closed under it.

export interface BatchLoopOptions {
  /** Pause when there is nothing to do, or after a failure. */
  pollIntervalMs: number;
  /** Hears about a failed unit; the loop goes on after the pause. */
  onError: (error: unknown) => void;
  /**
   * How long a wake() waits before ending the pause (default: the next turn of the event loop).
   * Wakes while one is pending are one wake, so with a delay the calls of a busy moment share one run.
   */
  wakeDelayMs?: number;
}

export class BatchLoop {
  private running: Promise<void> | null = null;
  private stopped = false;
  private endPause: (() => void) | null = null;
  private pendingWake: NodeJS.Timeout | NodeJS.Immediate | null = null;

  /** `unit` resolves true while there may be more work. */
  constructor(
    private readonly unit: () => Promise<boolean>,
    private readonly options: BatchLoopOptions,
  ) {}

  start(): void {
    if (!this.running && !this.stopped) this.running = this.loop();
  }

  /**
   * Ends the current pause on the next turn of the event loop: ending it at once would run the
   * unit ahead of the response of whoever called wake(), charging the work to that request.
   */
  wake(): void {
    if (this.pendingWake || this.stopped) return;
    const wakeUp = () => {
      this.pendingWake = null;
      this.endPause?.();
    };
    const delay = this.options.wakeDelayMs ?? 0;
    this.pendingWake = delay > 0 ? setTimeout(wakeUp, delay).unref() : setImmediate(wakeUp);
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.pendingWake) {
      clearTimeout(this.pendingWake as NodeJS.Timeout);
      clearImmediate(this.pendingWake as NodeJS.Immediate);
      this.pendingWake = null;
    }
    this.endPause?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const more = await this.unit().catch((error: unknown) => {
        this.options.onError(error);
        return false;
      });
      if (this.stopped) return;
      await (more ? new Promise((resolve) => setImmediate(resolve)) : this.pause());
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.endPause?.(), this.options.pollIntervalMs).unref();
      this.endPause = () => {
        clearTimeout(timer);
        this.endPause = null;
        resolve();
      };
    });
  }
}
