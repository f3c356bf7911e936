/**
 * The alerts' part of the storage contract (`Store.alerts`): alerts arrive with ingest batches
 * (kept in the batch's transaction), are handed out to the delivery worker (alerts/
 * alert-dispatcher.ts) one (alert, destination) at a time, and keep a log of every try.
 */
import {
  ALERT_LATE_AFTER_S,
  type AlertAttemptDto,
  type AlertDeliveryState,
  type AlertDto,
  type AlertLevel,
  type AlertRecord,
  type RunRef,
} from "@stepwise/protocol";

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

/** An alert is late when replayed by `stepwise sync` or received long after it was raised. */
export function isLateAlert(alert: AlertRecord, replay: boolean, now: number): boolean {
  return replay || now - alert.time > ALERT_LATE_AFTER_S;
}

/** An alert's delivery state from its deliveries' states (none before it was handed out). */
export function deliveryState(dispatched: boolean, states: readonly string[]): AlertDeliveryState {
  if (!dispatched) return "pending";
  if (states.length === 0) return "none";
  if (states.includes("failed")) return "failed";
  if (states.includes("pending")) return "pending";
  return "delivered";
}
