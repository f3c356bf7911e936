/**
 * Retry delays: exponential with full jitter (a uniform delay between 0 and min(cap, base·2ⁿ)),
 * so that runs cut off by the same outage do not all come back at the same instant. A server's
 * Retry-After is honoured as a lower bound.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs: number,
    private capMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  nextDelayMs(retryAfterMs: number | null = null): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const delay = this.random() * ceiling;
    return retryAfterMs === null ? delay : Math.max(delay, Math.min(retryAfterMs, this.capMs));
  }

  reset(): void {
    this.attempt = 0;
  }

  /** Lowers the cap (finish() wants prompt retries while it waits). */
  capAt(ms: number): void {
    this.capMs = Math.min(this.capMs, ms);
  }
}
