/**
 * Periodic garbage collection of the file store inside the server (`--gc-interval`), one
 * collection at a time; each that frees something says so in the server log. Before each, the
 * data directory's owner is checked again (`owner`): a SQLite server left running after
 * `stepwise migrate` marked its directory for PostgreSQL (database-marker.ts) knows only its
 * own runs, and would free the files the new servers write there. It stops collecting instead.
 */
import { LocalFleetLock, type FleetLock } from "../fleet/fleet-lock.js";
import type { Store } from "../store/store.js";
import type { DerivedFiles } from "./derived-files.js";
import { collectGarbage, type CollectableBlobs, type GcReport } from "./garbage-collector.js";

export class GcScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly blobs: CollectableBlobs,
    private readonly intervalS: number,
    private readonly now: () => number,
    private readonly log: (line: string) => void,
    /** Stored tables and thumbnails removed with their freed blob. */
    private readonly derived?: DerivedFiles,
    /** Several servers on one database: one collects per interval (fleet/fleet-lock.ts). */
    private readonly fleet: FleetLock = new LocalFleetLock(),
    /** Why this server no longer owns the directory's files (null while it does). */
    private readonly owner: () => string | null = () => null,
  ) {}

  start(): void {
    if (this.intervalS <= 0) return;
    // 0.9: a server whose timer fires just before the interval since another's run still runs.
    const tick = (): Promise<boolean> =>
      this.fleet.runExclusive("blob-gc", () => this.collect(), this.intervalS * 0.9);
    this.timer = setInterval(() => void tick().catch(() => undefined), this.intervalS * 1000);
    this.timer.unref();
  }

  /** Runs a collection after the one in progress; `graceS` as in collectGarbage. */
  collect(graceS?: number): Promise<GcReport> {
    const next = this.running.then(() => {
      const lost = this.owner();
      if (lost !== null) throw new Error(`skipped: ${lost}`);
      return collectGarbage(this.store, this.blobs, {
        now: this.now(),
        ...(graceS === undefined ? {} : { graceS }),
        ...(this.derived === undefined ? {} : { derived: this.derived }),
      });
    });
    this.running = next.then(
      (report) => {
        if (report.freed.length > 0 || report.uploadsRemoved > 0)
          this.log(
            `garbage collection freed ${report.freed.length} blob(s) (${report.bytesFreed} bytes) and ${report.uploadsRemoved} unfinished upload(s)`,
          );
      },
      (error: unknown) =>
        this.log(`garbage collection failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    return next;
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
