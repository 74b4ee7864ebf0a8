/**
 * Counts failed logins per key (a user name, a client address) in a sliding window; a key with
 * too many recent failures is refused before its password is even checked. In memory: a limit
 * per process, bounded in size (the oldest keys are forgotten first).
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Whether any of these keys is over its limit now. */
  isBlocked(keys: readonly string[], now = Date.now()): boolean {
    return keys.some((key) => this.recent(key, now).length >= this.maxFailures);
  }

  /** Seconds until the first of these keys is allowed again (for Retry-After). */
  retryAfterSeconds(keys: readonly string[], now = Date.now()): number {
    const waits = keys.map((key) => this.recent(key, now)).filter((times) => times.length >= this.maxFailures).map((times) => (times[0] ?? now) + this.windowMs - now);
    return Math.max(1, Math.ceil(Math.max(0, ...waits) / 1000));
  }

  recordFailure(keys: readonly string[], now = Date.now()): void {
    for (const key of keys) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.delete(key);
      this.failures.set(key, times);
    }
    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  /** Forgets a key's failures after a successful login. */
  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }
}
