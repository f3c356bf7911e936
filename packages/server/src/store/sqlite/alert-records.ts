/**
 * The SQLite alert store (alert-store.ts; tables in alert-schema.ts). `record` runs inside the
 * ingest batch's transaction (batch-applier.ts), so an alert is kept exactly when its batch is,
 * and a re-sent batch (same run, same meta-stream index) adds nothing.
 */
import type Database from "better-sqlite3";
import type { AlertAttemptDto, AlertDto, AlertLevel, AlertRecord } from "@stepwise/protocol";
import {
  isLateAlert,
  type AlertListQuery,
  type AlertStore,
  type AttemptRecord,
  type DueDelivery,
} from "../alert-store.js";
import { ALERT_COLUMNS, alertFromRow, dueDeliveryFromRow, type AlertRow } from "../alert-rows.js";

export class SqliteAlertStore implements AlertStore {
  private readonly insert: Database.Statement<
    [number, number, string, string, string, number, number, number, number]
  >;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO alerts (run_pk, meta_index, title, body, level, step, raised_at, received_at, late)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Keeps an alert of an ingest batch; late when replayed by `stepwise sync` or received long after it was raised. */
  record(pk: number, metaIndex: number, alert: AlertRecord, replay: boolean, now: number): void {
    const late = isLateAlert(alert, replay, now);
    this.insert.run(
      pk,
      metaIndex,
      alert.title,
      alert.text,
      alert.level,
      alert.step,
      alert.time,
      now,
      late ? 1 : 0,
    );
  }

  dispatchNew(
    destinations: ReadonlyArray<{ name: string; levels: readonly AlertLevel[] }>,
    now: number,
  ): Promise<number> {
    const take = this.db.transaction(() => {
      const fresh = this.db
        .prepare("SELECT id, level FROM alerts WHERE dispatched = 0 ORDER BY id LIMIT 1000")
        .all() as Array<{ id: number; level: AlertLevel }>;
      const deliver = this.db.prepare(
        "INSERT OR IGNORE INTO alert_deliveries (alert_id, destination, state, attempts, next_at) VALUES (?, ?, 'pending', 0, ?)",
      );
      const done = this.db.prepare("UPDATE alerts SET dispatched = 1 WHERE id = ?");
      for (const alert of fresh) {
        for (const destination of destinations)
          if (destination.levels.includes(alert.level)) deliver.run(alert.id, destination.name, now);
        done.run(alert.id);
      }
      return fresh.length;
    });
    return Promise.resolve(take());
  }

  dueDeliveries(now: number, limit: number): Promise<DueDelivery[]> {
    const rows = this.db
      .prepare(
        `SELECT d.destination, d.attempts, ${ALERT_COLUMNS}
         FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id JOIN runs r ON r.pk = a.run_pk
         WHERE d.state = 'pending' AND d.next_at <= ? ORDER BY d.next_at, a.id LIMIT ?`,
      )
      .all(now, limit) as Array<AlertRow & { destination: string; attempts: number }>;
    return Promise.resolve(rows.map(dueDeliveryFromRow));
  }

  recordAttempt(
    alertId: number,
    destination: string,
    attempt: AttemptRecord,
    next: number | null,
  ): Promise<void> {
    this.db.transaction(() => {
      const state = next !== null ? "pending" : attempt.ok ? "delivered" : "failed";
      const { attempts } = this.db
        .prepare(
          `UPDATE alert_deliveries SET attempts = attempts + 1, state = ?, next_at = ?
           WHERE alert_id = ? AND destination = ? RETURNING attempts`,
        )
        .get(state, next, alertId, destination) as { attempts: number };
      this.db
        .prepare(
          `INSERT OR REPLACE INTO alert_attempts (alert_id, destination, attempt, at, ok, status, error, ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          alertId,
          destination,
          attempts,
          attempt.at,
          attempt.ok ? 1 : 0,
          attempt.status,
          attempt.error,
          attempt.ms,
        );
    })();
    return Promise.resolve();
  }

  listAlerts(query: AlertListQuery): Promise<AlertDto[]> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (query.run !== undefined) {
      where.push("r.entity = ? AND r.project = ? AND r.run_id = ?");
      params.push(query.run.entity, query.run.project, query.run.runId);
    } else if (query.entity !== undefined) {
      where.push("r.entity = ?");
      params.push(query.entity);
      if (query.project !== undefined) {
        where.push("r.project = ?");
        params.push(query.project);
      }
    }
    const rows = this.db
      .prepare(
        `SELECT ${ALERT_COLUMNS} FROM alerts a JOIN runs r ON r.pk = a.run_pk
         ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY a.id DESC LIMIT ?`,
      )
      .all(...params, query.limit) as AlertRow[];
    const deliveries = this.db.prepare("SELECT state FROM alert_deliveries WHERE alert_id = ?");
    const attempts = this.db.prepare(
      "SELECT destination, attempt, at, ok, status, error, ms FROM alert_attempts WHERE alert_id = ? ORDER BY at, attempt",
    );
    return Promise.resolve(
      rows.map((row) => {
        const states = (deliveries.all(row.id) as Array<{ state: string }>).map((d) => d.state);
        const tries = (attempts.all(row.id) as Array<Omit<AlertAttemptDto, "ok"> & { ok: number }>).map(
          (a) => ({ ...a, ok: a.ok === 1 }),
        );
        return alertFromRow(row, states, tries);
      }),
    );
  }
}
