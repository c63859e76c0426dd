import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WorkerLoop } from "../../src/jobs/loop.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A loop whose step finds work `work` times, then nothing; counts the steps. */
function countingLoop(idleMs: number, options: { jitter?: boolean } = {}) {
  const state = { steps: 0, work: 0 };
  const loop = new WorkerLoop(
    "test",
    async () => {
      state.steps += 1;
      if (state.work === 0) return false;
      state.work -= 1;
      return true;
    },
    idleMs,
    () => {},
    options,
  );
  return { loop, state };
}

describe("WorkerLoop", () => {
  it("runs steps back to back while they find work, then sleeps; a wake starts the next step at once", async () => {
    const { loop, state } = countingLoop(10_000);
    state.work = 3;
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    // Three steps found work, the fourth did not: asleep now.
    expect(state.steps).toBe(4);
    expect(loop.idle).toBe(true);

    state.work = 1;
    loop.wake();
    // The loop counts as busy from the wake on: a second wake goes nowhere.
    expect(loop.idle).toBe(false);
    loop.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.steps).toBe(6);
    expect(loop.idle).toBe(true);

    await vi.advanceTimersByTimeAsync(9_999);
    expect(state.steps).toBe(6);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.steps).toBe(7);
    await loop.stop(Date.now());
  });

  it("with jitter sleeps between half and one and a half idle periods, so loops started together spread out", async () => {
    const random = vi.spyOn(Math, "random");
    // Math.random() at its lowest and highest: the sleep before the second step.
    for (const [draw, sleepMs] of [
      [0, 500],
      [0.999, 1_499],
    ] as const) {
      random.mockReturnValue(draw);
      const { loop, state } = countingLoop(1_000, { jitter: true });
      loop.start();
      await vi.advanceTimersByTimeAsync(sleepMs - 1);
      expect(state.steps).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(state.steps).toBe(2);
      await loop.stop(Date.now());
    }
  });
});
