/**
 * A worker loop: runs `step` while it finds work, sleeps `idleMs` when it does not, wakes early on
 * `wake()` (a no-op while a step runs). `stop(deadline)` lets the current step finish until the deadline.
 */
export class WorkerLoop {
  private stopped = false;
  private current: Promise<unknown> = Promise.resolve();
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly name: string,
    private readonly step: () => Promise<boolean>,
    private readonly idleMs: number,
    private readonly onError: (name: string, error: unknown) => void,
    /** Sleep between half and one and a half idleMs, so loops started together poll in turn. */
    private readonly options: { jitter?: boolean } = {},
  ) {}

  start(): this {
    void this.loop();
    return this;
  }

  wake(): void {
    const wakeUp = this.wakeUp;
    // No longer idle from now on, so that the next wake goes to another loop.
    this.wakeUp = undefined;
    wakeUp?.();
  }

  /** Sleeping between steps (a wake would start a step at once). */
  get idle(): boolean {
    return this.wakeUp !== undefined;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let found = false;
      const running = this.step().then(
        (result) => {
          found = result;
        },
        (error: unknown) => this.onError(this.name, error),
      );
      this.current = running;
      await running;
      if (!found && !this.stopped) {
        await new Promise<void>((resolve) => {
          const sleepMs = this.options.jitter ? this.idleMs * (0.5 + Math.random()) : this.idleMs;
          const timer = setTimeout(resolve, sleepMs);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = undefined;
      }
    }
  }

  async stop(deadline: number): Promise<void> {
    this.stopped = true;
    this.wake();
    await Promise.race([
      this.current,
      new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()))),
    ]);
  }
}
