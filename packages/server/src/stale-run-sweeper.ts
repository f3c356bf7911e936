/**
 * Marks running runs `crashed` when they have sent nothing (data or heartbeat) for the crash
 * timeout. Checks a few times per timeout, so a run is marked within about 1.25 × the timeout.
 */
import { LocalFleetLock, type FleetLock } from "./fleet/fleet-lock.js";
import type { Store } from "./store/store.js";

export class StaleRunSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly timeoutS: number,
    private readonly now: () => number,
    private readonly log: (line: string) => void,
    /** Several servers on one database: one sweeps at a time (fleet/fleet-lock.ts). */
    private readonly fleet: FleetLock = new LocalFleetLock(),
  ) {}

  start(): void {
    const intervalMs = Math.min(Math.max((this.timeoutS * 1000) / 4, 100), 15_000);
    this.timer = setInterval(() => {
      this.running = this.fleet.runExclusive("stale-run-sweep", () => this.sweep()).then(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress, so the store can be closed after. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async sweep(): Promise<void> {
    try {
      const marked = await this.store.markStaleRunsCrashed(this.now() - this.timeoutS);
      if (marked > 0) this.log(`marked ${marked} run(s) crashed after ${this.timeoutS} s without traffic`);
    } catch (error) {
      this.log(`stale-run sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
