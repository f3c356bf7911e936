/**
 * The PostgreSQL alert store (alert-store.ts; tables in pg-schema-media.ts; alerts recorded by
 * ingest batches in pg-media-writes.ts). Several servers may run a delivery worker each
 * (alerts/alert-dispatcher.ts) on one database, where SQLite has one:
 * - `dispatchNew` takes undispatched alerts `FOR UPDATE SKIP LOCKED`, so two servers never hand
 *   out one alert twice;
 * - `dueDeliveries` answers only deliveries this server claims (pg-alert-claims.ts: an advisory
 *   lock held until `recordAttempt` logs the try), so a due delivery is tried by one server at a
 *   time; a server that dies gives its claims back with its connection. At least once, not
 *   exactly once (a try cut short by a crash is tried again).
 */
import type pg from "pg";
import type { AlertAttemptDto, AlertDto, AlertLevel } from "@stepwise/protocol";
import type { AlertListQuery, AlertStore, AttemptRecord, DueDelivery } from "../alert-store.js";
import { ALERT_COLUMNS, alertFromRow, dueDeliveryFromRow, type AlertRow } from "../alert-rows.js";
import { PgAlertClaims, type DeliveryKey } from "./pg-alert-claims.js";
import { transaction } from "./pg-database.js";

export class PgAlertStore implements AlertStore {
  private readonly claims: PgAlertClaims;

  constructor(private readonly pool: pg.Pool) {
    this.claims = new PgAlertClaims(pool);
  }

  dispatchNew(
    destinations: ReadonlyArray<{ name: string; levels: readonly AlertLevel[] }>,
    now: number,
  ): Promise<number> {
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: number; level: AlertLevel }>(
        "SELECT id, level FROM alerts WHERE NOT dispatched ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED",
      );
      if (rows.length === 0) return 0;
      const ids: number[] = [];
      const names: string[] = [];
      for (const alert of rows)
        for (const destination of destinations)
          if (destination.levels.includes(alert.level)) {
            ids.push(alert.id);
            names.push(destination.name);
          }
      if (ids.length > 0)
        await client.query(
          `INSERT INTO alert_deliveries (alert_id, destination, state, attempts, next_at)
           SELECT id, name, 'pending', 0, $3 FROM unnest($1::bigint[], $2::text[]) AS d (id, name)
           ON CONFLICT (alert_id, destination) DO NOTHING`,
          [ids, names, now],
        );
      await client.query("UPDATE alerts SET dispatched = true WHERE id = ANY($1::bigint[])", [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }

  async dueDeliveries(now: number, limit: number): Promise<DueDelivery[]> {
    const due = await this.pool.query<{ alert_id: number; destination: string }>(
      `SELECT alert_id, destination FROM alert_deliveries WHERE state = 'pending' AND next_at <= $1
       ORDER BY next_at, alert_id LIMIT $2`,
      [now, limit],
    );
    const claimed = await this.claims.claim(
      due.rows.map((r) => ({ alertId: r.alert_id, destination: r.destination })),
    );
    if (claimed.length === 0) return [];
    // Read again once claimed: the server that held a claim may have logged its try just before.
    const { rows } = await this.pool.query<AlertRow & { destination: string; attempts: number }>(
      `SELECT d.destination, d.attempts, ${ALERT_COLUMNS}
       FROM unnest($1::bigint[], $2::text[]) AS k (id, destination)
       JOIN alert_deliveries d ON d.alert_id = k.id AND d.destination = k.destination
       JOIN alerts a ON a.id = d.alert_id JOIN runs r ON r.pk = a.run_pk
       WHERE d.state = 'pending' AND d.next_at <= $3 ORDER BY d.next_at, a.id`,
      [claimed.map((k) => k.alertId), claimed.map((k) => k.destination), now],
    );
    const still = new Set(rows.map((r) => `${r.id}:${r.destination}`));
    await this.claims.release(claimed.filter((k) => !still.has(`${k.alertId}:${k.destination}`)));
    return rows.map(dueDeliveryFromRow);
  }

  async recordAttempt(
    alertId: number,
    destination: string,
    attempt: AttemptRecord,
    next: number | null,
  ): Promise<void> {
    const state = next !== null ? "pending" : attempt.ok ? "delivered" : "failed";
    // One statement: the count moves and the try is logged together.
    await this.pool.query(
      `WITH tried AS (
         UPDATE alert_deliveries SET attempts = attempts + 1, state = $3, next_at = $4
         WHERE alert_id = $1 AND destination = $2 RETURNING attempts
       )
       INSERT INTO alert_attempts (alert_id, destination, attempt, at, ok, status, error, ms)
       SELECT $1, $2, attempts, $5, $6, $7, $8, $9 FROM tried
       ON CONFLICT (alert_id, destination, attempt) DO UPDATE SET at = excluded.at, ok = excluded.ok,
         status = excluded.status, error = excluded.error, ms = excluded.ms`,
      [alertId, destination, state, next, attempt.at, attempt.ok, attempt.status, attempt.error, attempt.ms],
    );
    // Logged (committed) before the claim is given up, so the next claimant reads the try.
    const key: DeliveryKey = { alertId, destination };
    await this.claims.release([key]);
  }

  async listAlerts(query: AlertListQuery): Promise<AlertDto[]> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    const param = (value: string | number): string => `$${params.push(value)}`;
    if (query.run !== undefined) {
      where.push(
        `r.entity = ${param(query.run.entity)} AND r.project = ${param(query.run.project)} AND r.run_id = ${param(query.run.runId)}`,
      );
    } else if (query.entity !== undefined) {
      where.push(`r.entity = ${param(query.entity)}`);
      if (query.project !== undefined) where.push(`r.project = ${param(query.project)}`);
    }
    const { rows } = await this.pool.query<AlertRow & { states: string[]; attempts: AlertAttemptDto[] }>(
      `SELECT ${ALERT_COLUMNS},
         ARRAY(SELECT state FROM alert_deliveries WHERE alert_id = a.id) AS states,
         COALESCE((SELECT json_agg(json_build_object('destination', t.destination, 'attempt', t.attempt,
             'at', t.at, 'ok', t.ok, 'status', t.status, 'error', t.error, 'ms', t.ms) ORDER BY t.at, t.attempt)
           FROM alert_attempts t WHERE t.alert_id = a.id), '[]') AS attempts
       FROM alerts a JOIN runs r ON r.pk = a.run_pk
       ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY a.id DESC LIMIT ${param(query.limit)}`,
      params,
    );
    return rows.map((row) => alertFromRow(row, row.states, row.attempts));
  }

  /** Gives up this server's claims (at close: its worker has stopped). */
  close(): void {
    this.claims.close();
  }
}
