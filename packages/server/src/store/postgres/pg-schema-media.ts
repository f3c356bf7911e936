/**
 * PostgreSQL schema version 5: the media index, key kinds, histogram and table-version index and alerts.
 * Listed in pg-schema.ts; the statements run in one transaction, in order.
 *
 * The same tables as SQLite's (schema.ts version 8, structured-schema.ts, alert-schema.ts), filled
 * by the same rich values of the shared ingest core (store/rich-value-rows.ts) in the batch's
 * transaction (pg-media-writes.ts). Keys are COLLATE "C" (code point order, as SQLite's binary
 * order). Histogram edges and counts are bytea in SQLite's BLOB encoding. An alert delivery
 * is claimed by one server with an advisory lock while it is tried (pg-alert-store.ts). Runs
 * stored before this version are listed in `rich_value_rebuilds` and indexed from their rows at
 * open (pg-media-rebuild.ts).
 */
export const MEDIA_MIGRATION: readonly string[] = [
  `CREATE TABLE media_items (
    run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    key text COLLATE "C" NOT NULL, step bigint NOT NULL, row_index bigint NOT NULL,
    item_index integer NOT NULL, type text NOT NULL, value_type text NOT NULL, path text COLLATE "C" NOT NULL,
    sha256 text, size bigint, format text, width integer, height integer, caption text, detail text,
    PRIMARY KEY (run_pk, key, step, row_index, item_index)
  )`,
  `CREATE TABLE key_kinds (
    run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    key text COLLATE "C" NOT NULL, kind text NOT NULL, count bigint NOT NULL,
    first_step bigint NOT NULL, last_step bigint NOT NULL,
    PRIMARY KEY (run_pk, key, kind)
  )`,
  `CREATE TABLE histograms (
    run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    key text COLLATE "C" NOT NULL, step bigint NOT NULL, bins integer NOT NULL,
    lo double precision NOT NULL, hi double precision NOT NULL, edges bytea, counts bytea NOT NULL,
    PRIMARY KEY (run_pk, key, step)
  )`,
  `CREATE TABLE table_versions (
    run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    key text COLLATE "C" NOT NULL, step bigint NOT NULL, path text NOT NULL, sha256 text,
    nrows bigint, ncols bigint,
    PRIMARY KEY (run_pk, key, step)
  )`,
  `CREATE TABLE alerts (
    id bigserial PRIMARY KEY,
    run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    meta_index bigint NOT NULL, title text NOT NULL, body text NOT NULL, level text NOT NULL,
    step bigint NOT NULL, raised_at double precision NOT NULL, received_at double precision NOT NULL,
    late boolean NOT NULL, dispatched boolean NOT NULL DEFAULT false,
    UNIQUE (run_pk, meta_index)
  )`,
  "CREATE INDEX alerts_undispatched ON alerts (id) WHERE NOT dispatched",
  "CREATE INDEX alerts_by_run ON alerts (run_pk, id)",
  `CREATE TABLE alert_deliveries (
    alert_id bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    destination text NOT NULL, state text NOT NULL, attempts integer NOT NULL,
    next_at double precision,
    PRIMARY KEY (alert_id, destination)
  )`,
  "CREATE INDEX alert_deliveries_due ON alert_deliveries (next_at) WHERE state = 'pending'",
  `CREATE TABLE alert_attempts (
    alert_id bigint NOT NULL, destination text NOT NULL, attempt integer NOT NULL,
    at double precision NOT NULL, ok boolean NOT NULL, status integer, error text,
    ms double precision NOT NULL,
    PRIMARY KEY (alert_id, destination, attempt),
    FOREIGN KEY (alert_id, destination) REFERENCES alert_deliveries (alert_id, destination) ON DELETE CASCADE
  )`,
  // Runs stored before this version: indexed from their stored rows at open.
  "CREATE TABLE rich_value_rebuilds (run_pk bigint PRIMARY KEY REFERENCES runs (pk) ON DELETE CASCADE)",
  "INSERT INTO rich_value_rebuilds (run_pk) SELECT pk FROM runs WHERE history_count > 0",
];
