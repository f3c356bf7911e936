/**
 * Runs the store's history compaction (packed rows → text, see Store.compactHistory) while
 * ingestion is idle: once no batch has arrived for IDLE_MS, a few blocks per step, yielding to
 * requests between steps, until nothing is left or a batch arrives. During a burst of ingestion
 * it stays out of the way: the CPU belongs to training and to acknowledging batches.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { LocalFleetLock, type FleetLock } from "./fleet/fleet-lock.js";
import type { Store } from "./store/store.js";

const IDLE_MS = 1000;
const CHECK_MS = 500;
/** ~3 ms of formatting per block of 1,000 ten-metric rows: a step stays well under 20 ms. */
const BLOCKS_PER_STEP = 4;

export class HistoryCompactor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastIngestAt = 0;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly log: (line: string) => void,
    /** Several servers on one database: one compacts at a time (fleet/fleet-lock.ts). */
    private readonly fleet: FleetLock = new LocalFleetLock(),
  ) {}

  /** Called for every ingest batch. */
  readonly noteIngest = (): void => {
    this.lastIngestAt = Date.now();
  };

  start(): void {
    this.timer = setInterval(() => {
      if (this.running === null && this.idle())
        this.running = this.fleet
          .runExclusive("history-compaction", () => this.drain())
          .then(() => undefined)
          .finally(() => (this.running = null));
    }, CHECK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Compacts until nothing is left, ingestion resumes, or stop() is called. */
  async drain(): Promise<void> {
    try {
      while (!this.stopped && this.idle()) {
        if ((await this.store.compactHistory(BLOCKS_PER_STEP)) === 0) return;
        await nextTurn();
      }
    } catch (error) {
      this.log(`history compaction failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private idle(): boolean {
    return Date.now() - this.lastIngestAt >= IDLE_MS;
  }
}
