/**
 * A token bucket: `rate` tokens a second, holding at most `burst`. `take(n)` spends n tokens if there are
 * enough, so one bucket limits messages (n = 1) or bytes (n = size).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(n = 1): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}

/** One bucket per peer, created on first use. */
export class PeerBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly rate: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(peerId: string, n = 1): boolean {
    let bucket = this.buckets.get(peerId);
    if (!bucket) {
      bucket = new TokenBucket(this.rate, this.rate * 2, this.now);
      this.buckets.set(peerId, bucket);
    }
    return bucket.take(n);
  }

  forget(peerId: string): void {
    this.buckets.delete(peerId);
  }
}
