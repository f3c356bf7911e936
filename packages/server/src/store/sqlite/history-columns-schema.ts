/**
 * SQLite schema version 18: each run's history columns as logged (first-logged order and the
 * kinds each held), kept at ingest so that exports write in one pass. Listed in schema.ts.
 *
 * - `history_columns`: one row per run whose history was ingested from its first row under this
 *   version (history-columns-records.ts): `names`, a JSON array of the column names in
 *   first-seen order; `kinds`, one letter per name (`n` only nulls, `d` numbers, `b` booleans,
 *   `o` anything else); `dense`, 1 while every row is numbers only holding every column (see
 *   HistoryColumns.dense: Parquet then takes the columns from the series). Runs stored before
 *   have no row and export in two passes.
 */
export const HISTORY_COLUMNS_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS history_columns (
    run_pk INTEGER PRIMARY KEY,
    names TEXT NOT NULL,
    kinds TEXT NOT NULL,
    dense INTEGER NOT NULL
  )`,
];
