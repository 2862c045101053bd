// Runs a unit of background work over and over: straight on while it reports more to do, otherwise
// after a pause that a wake() cuts short. It never keeps the process alive by itself, and close()
// waits for the unit in progress, so a store can be closed under it.

export interface BatchLoopOptions {
  /** Pause when there is nothing to do, or after a failure. */
  pollIntervalMs: number;
  /** Hears about a failed unit; the loop goes on after the pause. */
  onError: (error: unknown) => void;
}

export class BatchLoop {
  private running: Promise<void> | null = null;
  private stopped = false;
  private endPause: (() => void) | null = null;

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
    setImmediate(() => this.endPause?.());
  }

  async close(): Promise<void> {
    this.stopped = true;
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
