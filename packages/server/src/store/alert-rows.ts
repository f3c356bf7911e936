/**
 * An alert as both stores read it (tables `alerts` joined with `runs`, the same columns on
 * SQLite and PostgreSQL; SQLite answers its flags as 0/1, PostgreSQL as booleans), and what a
 * row becomes: a due delivery, or an alert as listed.
 */
import type { AlertAttemptDto, AlertDto, AlertLevel } from "@stepwise/protocol";
import { deliveryState, type DueDelivery } from "./alert-store.js";

export interface AlertRow {
  id: number;
  entity: string;
  project: string;
  run_id: string;
  name: string;
  title: string;
  body: string;
  level: AlertLevel;
  step: number;
  raised_at: number;
  received_at: number;
  late: boolean | number;
  dispatched: boolean | number;
}

/** The columns of an AlertRow, from `alerts a JOIN runs r`. */
export const ALERT_COLUMNS = `a.id, r.entity, r.project, r.run_id, r.name, a.title, a.body, a.level, a.step,
  a.raised_at, a.received_at, a.late, a.dispatched`;

export function dueDeliveryFromRow(row: AlertRow & { destination: string; attempts: number }): DueDelivery {
  return {
    alertId: row.id,
    destination: row.destination,
    attempts: row.attempts,
    entity: row.entity,
    project: row.project,
    runId: row.run_id,
    runName: row.name,
    title: row.title,
    text: row.body,
    level: row.level,
    step: row.step,
    time: row.raised_at,
    late: Boolean(row.late),
  };
}

/** The alert as listed, with its deliveries' states and every try. */
export function alertFromRow(
  row: AlertRow,
  states: readonly string[],
  attempts: AlertAttemptDto[],
): AlertDto {
  return {
    id: row.id,
    entity: row.entity,
    project: row.project,
    runId: row.run_id,
    runName: row.name,
    title: row.title,
    text: row.body,
    level: row.level,
    step: row.step,
    time: row.raised_at,
    receivedAt: row.received_at,
    late: Boolean(row.late),
    delivery: deliveryState(Boolean(row.dispatched), states),
    attempts,
  };
}
