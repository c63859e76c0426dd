/**
 * A worker loop: runs `step` while it finds work, sleeps `idleMs` when it does not, wakes early on
 * `wake()`. `stop(deadline)` lets the current step finish until the deadline.
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
  ) {}

  start(): this {
    void this.loop();
    return this;
  }

  wake(): void {
    this.wakeUp?.();
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
          const timer = setTimeout(resolve, this.idleMs);
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
