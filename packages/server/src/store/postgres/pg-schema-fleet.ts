/**
 * PostgreSQL schema version 7: what several servers on one database share (fleet jobs, change notices).
 * Listed in pg-schema.ts; the statements run in one transaction, in order.
 *
 * `fleet_jobs`: one row per periodic job (fleet/fleet-lock.ts), when a server last started and
 * finished it and which one (`host:pid`). A job with an interval (garbage collection, artifact
 * retention) claims its turn here under its advisory lock, so N servers run it once per
 * interval, not N times; operators read the table to see where each job last ran.
 */
export const FLEET_MIGRATION: readonly string[] = [
  `CREATE TABLE fleet_jobs (
    job text PRIMARY KEY,
    started_at double precision NOT NULL,
    finished_at double precision,
    server text NOT NULL
  )`,
];
