/**
 * Failed webhook token lookups per client address, in a sliding window (in memory, per process).
 * Tokens carry 256 random bits, so this is not what keeps them secret: it stops a scanner from
 * turning every guess into a database query. Known tokens are never counted, and OFN retries
 * whatever a blocked address was refused, so a shared OFN server address loses nothing.
 */
export class FailedLookupLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 30,
    private readonly windowMs = 60_000,
    /** Addresses remembered at most; the oldest are forgotten first. */
    private readonly maxAddresses = 10_000,
  ) {}

  isBlocked(address: string, now = Date.now()): boolean {
    return this.recent(address, now).length >= this.maxFailures;
  }

  recordFailure(address: string, now = Date.now()): void {
    const times = this.recent(address, now);
    times.push(now);
    this.failures.delete(address);
    this.failures.set(address, times);
    if (this.failures.size > this.maxAddresses) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  /** Seconds until the address may try again. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const first = this.recent(address, now)[0];
    return first === undefined ? 0 : Math.max(1, Math.ceil((first + this.windowMs - now) / 1000));
  }

  private recent(address: string, now: number): number[] {
    const times = this.failures.get(address);
    if (!times) return [];
    const fresh = times.filter((t) => t > now - this.windowMs);
    if (fresh.length === 0) this.failures.delete(address);
    else if (fresh.length !== times.length) this.failures.set(address, fresh);
    return fresh;
  }
}
