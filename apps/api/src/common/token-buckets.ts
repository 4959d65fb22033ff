/**
 * Token buckets per key: `capacity` at once, refilled at `perMinute`. In memory, per process: several
 * instances each allow the full rate.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private readonly refillPerMs: number;

  constructor(
    private readonly limits: { capacity: number; perMinute: number },
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = limits.perMinute / 60_000;
  }

  /** Whole seconds until `n` tokens are there; 0 when they are there now. Takes nothing. */
  waitSeconds(key: string, n = 1): number {
    const tokens = this.refill(key).tokens;
    return tokens >= n ? 0 : Math.max(1, Math.ceil((n - tokens) / this.refillPerMs / 1000));
  }

  /** Takes `n` tokens, all or none: answers 0 when allowed, else the whole seconds to wait until they are there. */
  take(key: string, n = 1): number {
    const wait = this.waitSeconds(key, n);
    if (wait === 0) this.buckets.get(key)!.tokens -= n;
    return wait;
  }

  private refill(key: string): { tokens: number; updatedAt: number } {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= 10_000) this.forgetFullBuckets(now);
      bucket = { tokens: this.limits.capacity, updatedAt: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.limits.capacity, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs);
    bucket.updatedAt = now;
    return bucket;
  }

  /** A bucket that has refilled is the same as none: dropping it keeps memory bounded by recent callers. */
  private forgetFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs >= this.limits.capacity) this.buckets.delete(key);
    }
  }
}
