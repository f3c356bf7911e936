/**
 * Schema of the structured values (migration 9 in schema.ts): histograms per (run, key, step),
 * the versions of each table key (the `table-file` history values: which file holds the table
 * logged at a step) and the chart presets users saved. Derived from history rows like the media
 * index (no checksum: a damaged history block is reported by its own checks), except presets.
 */
export const STRUCTURED_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS histograms (
    run_pk INTEGER NOT NULL,
    key TEXT NOT NULL,
    step INTEGER NOT NULL,
    bins INTEGER NOT NULL,
    lo REAL NOT NULL,
    hi REAL NOT NULL,
    edges BLOB,
    counts BLOB NOT NULL,
    PRIMARY KEY (run_pk, key, step)
  ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS table_versions (
    run_pk INTEGER NOT NULL,
    key TEXT NOT NULL,
    step INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT,
    nrows INTEGER,
    ncols INTEGER,
    PRIMARY KEY (run_pk, key, step)
  ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS chart_presets (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
  )`,
];
