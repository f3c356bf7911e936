/**
 * Periodic jobs run once across a fleet of API servers on one database. Each job's tick asks
 * `runExclusive(job, fn)`: on SQLite (one server owns the data directory) the job always runs
 * here; on PostgreSQL (store/postgres/pg-fleet-lock.ts) it runs only on the server that takes
 * the job's advisory lock, and a job another server is running is skipped this round, not
 * queued. A loop that must stay on one server (alert delivery) asks `lead(job)` instead: the
 * lock is kept until this server stops or loses its database connection.
 */

/** The jobs a server runs on a timer; one lock each. */
export type FleetJob =
  "stale-run-sweep" | "blob-gc" | "artifact-retention" | "history-compaction" | "alert-delivery";

export interface FleetLock {
  /**
   * Runs `fn` unless another server (or this one) runs `job` now, or — with `everyS` — any
   * server started it less than `everyS` seconds ago (by the database's clock). Resolves true
   * when `fn` ran; false when skipped, also when the lock cannot be asked (the database is
   * down: the job's own store calls would fail too). A rejection of `fn` is passed on.
   */
  runExclusive(job: FleetJob, fn: () => Promise<unknown>, everyS?: number): Promise<boolean>;
  /** Whether this server leads `job` (taking the lead when nobody holds it); kept until close. */
  lead(job: FleetJob): Promise<boolean>;
  /** Gives every lock back. */
  close(): Promise<void>;
}

/** One server alone: every job runs here, one run of each at a time. */
export class LocalFleetLock implements FleetLock {
  private readonly running = new Set<FleetJob>();

  async runExclusive(job: FleetJob, fn: () => Promise<unknown>): Promise<boolean> {
    if (this.running.has(job)) return false;
    this.running.add(job);
    try {
      await fn();
      return true;
    } finally {
      this.running.delete(job);
    }
  }

  lead(): Promise<boolean> {
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
