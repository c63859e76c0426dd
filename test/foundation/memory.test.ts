/**
 * releaseMemory: a big job's request always collects; small jobs' requests collect at most once a
 * second, whoever asked last (many small syncs at once each asked four times).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

type ReleaseMemory = typeof import("../../src/memory.js").releaseMemory;

describe("releaseMemory", () => {
  const original = (globalThis as { gc?: () => void }).gc;
  let collections = 0;
  // A fresh module each test: the time of the last collection is module state.
  let releaseMemory: ReleaseMemory;

  beforeEach(async () => {
    vi.resetModules();
    ({ releaseMemory } = await import("../../src/memory.js"));
    vi.useFakeTimers({ toFake: ["performance"] });
    collections = 0;
    (globalThis as { gc?: () => void }).gc = () => {
      collections += 1;
    };
  });
  afterEach(() => {
    vi.useRealTimers();
    (globalThis as { gc?: () => void }).gc = original;
  });

  it("collects for every big job, and for small jobs once a second", () => {
    releaseMemory({ small: true });
    releaseMemory({ small: true });
    releaseMemory({ small: true });
    expect(collections).toBe(1);
    // A big job is never skipped, even right after a collection.
    releaseMemory();
    releaseMemory({ small: false });
    expect(collections).toBe(3);
    // ... and counts as the last collection for small ones.
    vi.advanceTimersByTime(999);
    releaseMemory({ small: true });
    expect(collections).toBe(3);
    vi.advanceTimersByTime(1);
    releaseMemory({ small: true });
    releaseMemory({ small: true });
    expect(collections).toBe(4);
  });

  it("does nothing without --expose-gc", () => {
    (globalThis as { gc?: () => void }).gc = undefined;
    expect(() => releaseMemory({ small: true })).not.toThrow();
    expect(() => releaseMemory()).not.toThrow();
    expect(collections).toBe(0);
  });
});
