/**
 * The alerts' part of the storage contract (`Store.alerts`): alerts arrive with ingest batches
 * (kept in the batch's transaction), are handed out to the delivery worker (alerts/
 * alert-dispatcher.ts) one (alert, destination) at a time, and keep a log of every try.
 */
import type { AlertAttemptDto, AlertDto, AlertLevel, RunRef } from "@stepwise/protocol";

/** One delivery that is due: the alert, its run, and how many tries it had. */
export interface DueDelivery {
  alertId: number;
  destination: string;
  attempts: number;
  entity: string;
  project: string;
  runId: string;
  runName: string;
  title: string;
  text: string;
  level: AlertLevel;
  step: number;
  time: number;
  late: boolean;
}

export type AttemptRecord = Omit<AlertAttemptDto, "destination" | "attempt">;

export interface AlertListQuery {
  /** One run's alerts. */
  run?: RunRef;
  /** One project's (with `entity`). */
  entity?: string;
  project?: string;
  /** Newest first; default 100, at most 1,000. */
  limit: number;
}

export interface AlertStore {
  /**
   * Gives alerts not yet handed out a pending delivery per destination whose levels include
   * theirs (none: the alert is marked as having no destination). Returns how many alerts it took.
   */
  dispatchNew(
    destinations: ReadonlyArray<{ name: string; levels: readonly AlertLevel[] }>,
    now: number,
  ): Promise<number>;
  /** Pending deliveries whose next try is due, oldest first. */
  dueDeliveries(now: number, limit: number): Promise<DueDelivery[]>;
  /** Logs a try; `next` null: the delivery is over (delivered when `attempt.ok`, else failed). */
  recordAttempt(
    alertId: number,
    destination: string,
    attempt: AttemptRecord,
    next: number | null,
  ): Promise<void>;
  listAlerts(query: AlertListQuery): Promise<AlertDto[]>;
}
