// In-process rate limits (one server process; a multi-instance deployment needs them at the proxy too).
// TokenBucket: steady rate with bursts, for ingest per token. FailureLimiter: free attempts, then an
// exponentially growing lock-out, for sign-in per client address and per user name.

export class TokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `cost` tokens; returns 0 when allowed, else the whole seconds to wait (for Retry-After). */
  take(key: string, cost = 1): number {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: t };
    b.tokens = Math.min(this.capacity, b.tokens + ((t - b.at) / 1000) * this.refillPerSecond);
    b.at = t;
    if (b.tokens >= cost) {
      b.tokens -= cost;
      this.buckets.set(key, b);
      this.sweep(t);
      return 0;
    }
    this.buckets.set(key, b);
    return Math.max(1, Math.ceil((cost - b.tokens) / this.refillPerSecond));
  }

  private sweep(t: number): void {
    if (this.buckets.size < 10_000) return;
    const full = (this.capacity / this.refillPerSecond) * 1000;
    for (const [k, b] of this.buckets) if (t - b.at > full) this.buckets.delete(k);
  }
}

export class FailureLimiter {
  private readonly failures = new Map<string, { count: number; until: number; last: number }>();

  constructor(
    readonly freeAttempts = 5,
    readonly maxLockSeconds = 900,
    readonly forgetAfterMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until any of the keys may try again (0 = may try now). */
  blockedFor(keys: string[]): number {
    const t = this.now();
    let wait = 0;
    for (const key of keys) {
      const f = this.failures.get(key);
      if (f && f.until > t) wait = Math.max(wait, Math.ceil((f.until - t) / 1000));
    }
    return wait;
  }

  fail(keys: string[]): void {
    const t = this.now();
    for (const key of keys) {
      const prev = this.failures.get(key);
      const count = prev && t - prev.last < this.forgetAfterMs ? prev.count + 1 : 1;
      const over = count - this.freeAttempts;
      const until = over > 0 ? t + Math.min(this.maxLockSeconds, 2 ** (over - 1)) * 1000 : 0;
      this.failures.set(key, { count, until, last: t });
    }
    if (this.failures.size > 50_000) {
      for (const [k, f] of this.failures) if (t - f.last > this.forgetAfterMs) this.failures.delete(k);
    }
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }
}

export const signInLimiter = new FailureLimiter(
  Number(process.env.HINDSIGHT_SIGNIN_FREE_ATTEMPTS) || 5,
);

/** Ingest requests per token: HINDSIGHT_INGEST_RATE per second (default 50) with bursts of HINDSIGHT_INGEST_BURST (default 100). */
export const ingestLimiter = new TokenBucket(
  Number(process.env.HINDSIGHT_INGEST_BURST) || 100,
  Number(process.env.HINDSIGHT_INGEST_RATE) || 50,
);
