/** Per-user sliding-window rate limit. The clock is passed in so tests need no waiting. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    /** The limiter's clock, so a retry time is told on the same clock. */
    readonly now: () => number = Date.now,
  ) {}

  /** Records a request; returns 0 when allowed, else the milliseconds until the next one would be. */
  take(userId: string): number {
    const now = this.now();
    const recent = (this.hits.get(userId) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= this.perMinute) {
      this.hits.set(userId, recent);
      return 60_000 - (now - recent[0]!);
    }
    recent.push(now);
    this.hits.set(userId, recent);
    return 0;
  }
}
