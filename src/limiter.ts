/** A counting semaphore: at most `limit` tasks run at once; the rest wait in order. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }

  get pending(): number {
    return this.waiting.length;
  }
}

/** One limiter per key (an OFN instance, a provider account), created on first use. */
export class LimiterPool {
  private readonly limiters = new Map<string, Limiter>();
  constructor(private readonly limit: number) {}
  for(key: string): Limiter {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new Limiter(this.limit);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** Whether this failure is worth another try, and after how long at least. */
  shouldRetry: (error: unknown) => boolean | { afterMs: number };
  sleep?: (ms: number) => Promise<void>;
}

/** Exponential backoff with full jitter. */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      const verdict = options.shouldRetry(error);
      if (!verdict || attempt >= options.attempts) throw error;
      const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** (attempt - 1));
      const floor = typeof verdict === "object" ? verdict.afterMs : 0;
      await sleep(Math.max(floor, Math.random() * ceiling));
    }
  }
}
