/**
 * Schema of alerts (a migration in schema.ts): one row per alert a run raised (its meta-stream
 * index makes a re-sent batch a no-op), one row per (alert, destination) delivery with its state
 * and next try, and one row per try (the delivery log).
 */
export const ALERT_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    run_pk INTEGER NOT NULL,
    meta_index INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    level TEXT NOT NULL,
    step INTEGER NOT NULL,
    raised_at REAL NOT NULL,
    received_at REAL NOT NULL,
    late INTEGER NOT NULL,
    dispatched INTEGER NOT NULL DEFAULT 0,
    UNIQUE (run_pk, meta_index)
  )`,
  "CREATE INDEX IF NOT EXISTS alerts_undispatched ON alerts (id) WHERE dispatched = 0",
  "CREATE INDEX IF NOT EXISTS alerts_by_run ON alerts (run_pk, id)",
  `CREATE TABLE IF NOT EXISTS alert_deliveries (
    alert_id INTEGER NOT NULL,
    destination TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_at REAL,
    PRIMARY KEY (alert_id, destination)
  ) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS alert_deliveries_due ON alert_deliveries (next_at) WHERE state = 'pending'",
  `CREATE TABLE IF NOT EXISTS alert_attempts (
    alert_id INTEGER NOT NULL,
    destination TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    at REAL NOT NULL,
    ok INTEGER NOT NULL,
    status INTEGER,
    error TEXT,
    ms REAL NOT NULL,
    PRIMARY KEY (alert_id, destination, attempt)
  ) WITHOUT ROWID`,
];
