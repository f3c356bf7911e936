/**
 * The SQLite schema, as numbered migrations applied in order at open (each in a transaction,
 * recorded in `schema_migrations`). Never edit a shipped migration: append a new one.
 *
 * Layout (see docs/storage.md for the reasoning and the numbers):
 * - `runs`: one row per run, the StoredRun fields; config, summary, metrics, tags and args as
 *   JSON text (config and summary in extended JSON, so NaN/Infinity survive); per-stream counts
 *   (the next offset each stream expects). Listing uses (entity, project, created_at).
 * - `history_blocks`: every history row exactly as ingested (extended-JSON text, or packed rows
 *   in `packed` when they arrived packed: schema version 2), up to 1,000
 *   consecutive rows of one batch per block, joined by "\n" (JSON text never holds a raw
 *   newline), with each row's step as a Float64 BLOB for step-bounded scans. One row per block
 *   instead of per row: 2–3× the ingest rate and ~10× the scan rate of a row per row.
 * - `stream_lines`: events (JSON text), console lines (rewritable) and meta records, by offset.
 * - `series` / `series_chunks` / `series_rollups`: each numeric history key of a run, column-wise.
 *   Chunks hold 1,024 points as little-endian Float64 BLOBs: `y_data`, and `x_data` (the `_step`s)
 *   unless x is arithmetic (x_first + i·(x_last − x_first)/(n − 1) exactly, the usual case),
 *   when it is NULL. Rollups hold pre-aggregated units per level (16, 128, 1,024, … points),
 *   64 units per BLOB row (see domain/series-levels.ts, domain/series-stats.ts).
 * - `run_files`, `api_keys`: plain records.
 * - `crc` (version 4) on history blocks, series chunks and rollups: a CRC32 of the row's content
 *   and place (checksum.ts), checked on every read, so a damaged row is reported, never served.
 * - `server_instance` (version 6): the store's instance id (instance-id.ts), one row.
 * - `run_files_by_sha256`, `file_uploads` (version 7): run files point at content-addressed
 *   blobs by sha256 (garbage collection asks whether any record still does); resumable uploads
 *   in progress, one per (run, path, size, sha256), with their expiry (upload-records.ts);
 *   `run_file_counts`, each run's number of files (the files-per-run limit).
 * - `alerts`, `alert_deliveries`, `alert_attempts` (version 10; alert-schema.ts): `run.alert`.
 * - `artifact_collections`, `artifact_versions`, `artifact_entries`, `artifact_aliases`,
 *   `artifact_tags`, `artifact_uses` (version 11; artifact-schema.ts): artifacts and lineage.
 *   `artifact_deleted_versions`, `artifact_deleted_collections` (version 12): soft deletion.
 *   `artifact_pending`, `artifact_pending_entries` (version 13): distributed artifacts.
 * - `registry_collections`, `registry_links`, `registry_aliases`, `registry_audit` (version 14;
 *   registry-schema.ts): registries linking artifact versions, their aliases and audit log.
 * - `artifact_version_ttls` (version 15; artifact-schema.ts): versions' time to live.
 * - `artifact_pending_writers`, `artifact_version_writers` (version 16; artifact-schema.ts): the
 *   runs that upserted into distributed versions, producers in lineage.
 * - `media_items`, `key_kinds`, `rich_value_rebuilds` (version 8): the media index (one row per
 *   media item of a history value, by run, key and step) and the kinds of value each key of a
 *   run held (media-records.ts, key-kind-records.ts), both derived from history rows by the
 *   rich values hook; runs stored before version 8 are listed in `rich_value_rebuilds` and
 *   indexed from their stored rows at open (rich-value-rebuild.ts).
 *
 * Portability: plain SQL types and `INSERT … ON CONFLICT … DO UPDATE`, which PostgreSQL shares;
 * `WITHOUT ROWID` is SQLite-only (drop it there), BLOB becomes bytea, REAL double precision.
 */
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { CorruptDataError } from "@stepwise/protocol";
import { registerChecksumFunctions } from "./checksum.js";
import { STRUCTURED_SCHEMA } from "./structured-schema.js";
import { ALERT_SCHEMA } from "./alert-schema.js";
import {
  ARTIFACT_DELETION_SCHEMA,
  ARTIFACT_DISTRIBUTED_SCHEMA,
  ARTIFACT_SCHEMA,
  ARTIFACT_TTL_SCHEMA,
  ARTIFACT_WRITERS_SCHEMA,
} from "./artifact-schema.js";
import { REGISTRY_SCHEMA } from "./registry-schema.js";
import { WANDB_STATE_SCHEMA } from "./wandb-state-schema.js";
import { HISTORY_COLUMNS_SCHEMA } from "./history-columns-schema.js";

/** The migrations in order (exported for tests that rebuild a store as an older version left it). */
export const MIGRATIONS: ReadonlyArray<{ version: number; statements: readonly string[] }> = [
  {
    version: 1,
    statements: [
      `CREATE TABLE runs (
        pk INTEGER PRIMARY KEY,
        entity TEXT NOT NULL,
        project TEXT NOT NULL,
        run_id TEXT NOT NULL,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        group_name TEXT NOT NULL,
        job_type TEXT NOT NULL,
        tags TEXT NOT NULL,
        notes TEXT NOT NULL,
        config TEXT NOT NULL,
        summary TEXT NOT NULL,
        metrics TEXT NOT NULL,
        host TEXT NOT NULL,
        program TEXT NOT NULL,
        args TEXT NOT NULL,
        git_commit TEXT,
        created_at REAL NOT NULL,
        heartbeat_at REAL NOT NULL,
        finished_at REAL,
        exit_code INTEGER,
        last_step INTEGER,
        starting_step INTEGER NOT NULL,
        history_count INTEGER NOT NULL,
        events_count INTEGER NOT NULL,
        console_count INTEGER NOT NULL,
        meta_count INTEGER NOT NULL,
        stop_requested INTEGER NOT NULL,
        UNIQUE (entity, project, run_id)
      )`,
      `CREATE INDEX runs_by_created ON runs (entity, project, created_at)`,
      `CREATE INDEX runs_by_heartbeat ON runs (state, heartbeat_at)`,
      `CREATE TABLE history_blocks (
        run_pk INTEGER NOT NULL,
        first_index INTEGER NOT NULL,
        row_count INTEGER NOT NULL,
        min_step INTEGER NOT NULL,
        max_step INTEGER NOT NULL,
        steps BLOB NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_pk, first_index)
      )`,
      `CREATE TABLE stream_lines (
        run_pk INTEGER NOT NULL,
        stream TEXT NOT NULL,
        line_index INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_pk, stream, line_index)
      ) WITHOUT ROWID`,
      `CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        run_pk INTEGER NOT NULL,
        key TEXT NOT NULL,
        point_count INTEGER NOT NULL,
        sorted INTEGER NOT NULL,
        last_x REAL,
        rising INTEGER NOT NULL,
        last_y REAL,
        UNIQUE (run_pk, key)
      )`,
      `CREATE TABLE series_chunks (
        series_id INTEGER NOT NULL,
        chunk_index INTEGER NOT NULL,
        n INTEGER NOT NULL,
        x_first REAL NOT NULL,
        x_last REAL NOT NULL,
        x_data BLOB,
        y_data BLOB NOT NULL,
        PRIMARY KEY (series_id, chunk_index)
      )`,
      `CREATE INDEX series_chunks_by_x ON series_chunks (series_id, x_first)`,
      `CREATE TABLE series_rollups (
        series_id INTEGER NOT NULL,
        level INTEGER NOT NULL,
        block_index INTEGER NOT NULL,
        units BLOB NOT NULL,
        PRIMARY KEY (series_id, level, block_index)
      )`,
      `CREATE TABLE run_files (
        entity TEXT NOT NULL,
        project TEXT NOT NULL,
        run_id TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        content_type TEXT NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (entity, project, run_id, path)
      )`,
      `CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        entity TEXT NOT NULL,
        admin INTEGER NOT NULL,
        created_at REAL NOT NULL,
        last_used_at REAL,
        secret_hash TEXT NOT NULL UNIQUE
      )`,
    ],
  },
  {
    // Rows uploaded packed (protocol packed-rows.ts) are stored packed: `packed` holds the
    // batch's key table and the block's rows, `body` is empty. Text is made when rows are read.
    version: 2,
    statements: [
      "ALTER TABLE history_blocks ADD COLUMN packed BLOB",
      // Finds the blocks that compaction has yet to rewrite as text (history-compaction.ts).
      "CREATE INDEX history_blocks_packed ON history_blocks (run_pk, first_index) WHERE packed IS NOT NULL",
    ],
  },
  {
    // Each run's place in its project by creation, so that run colours stay put (version 3).
    version: 3,
    statements: [
      "ALTER TABLE runs ADD COLUMN ordinal INTEGER NOT NULL DEFAULT 0",
      `UPDATE runs SET ordinal = (SELECT COUNT(*) FROM runs AS earlier
         WHERE earlier.entity = runs.entity AND earlier.project = runs.project AND earlier.pk <= runs.pk)`,
    ],
  },
  {
    // Every row of run data carries a CRC32 of its content and place (checksum.ts), verified on
    // read (version 4). Rows written before are given theirs here, computed from what they hold.
    version: 4,
    statements: [
      "ALTER TABLE history_blocks ADD COLUMN crc INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE series_chunks ADD COLUMN crc INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE series_rollups ADD COLUMN crc INTEGER NOT NULL DEFAULT 0",
      `UPDATE history_blocks
         SET crc = stepwise_history_crc(first_index, row_count, min_step, max_step, steps, body, packed)`,
      "UPDATE series_chunks SET crc = stepwise_chunk_crc(chunk_index, n, x_first, x_last, x_data, y_data)",
      "UPDATE series_rollups SET crc = stepwise_rollup_crc(level, block_index, units)",
    ],
  },
  {
    // The writer id a run takes batches from (domain/run-writer.ts; version 5). Runs stored
    // before have none: they take batches from clients without writer ids, and resumes.
    version: 5,
    statements: ["ALTER TABLE runs ADD COLUMN writer TEXT"],
  },
  {
    // The store's instance id (instance-id.ts; version 6), made once. Stores opened before this
    // migration existed may have the table and their id already: both statements keep them.
    version: 6,
    statements: [
      `CREATE TABLE IF NOT EXISTS server_instance (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        id TEXT NOT NULL,
        created_at REAL NOT NULL
      )`,
      `INSERT OR IGNORE INTO server_instance (one, id, created_at)
       VALUES (1, stepwise_random_uuid(), (julianday('now') - 2440587.5) * 86400.0)`,
    ],
  },
  {
    // Content-addressed blobs (version 7): garbage collection looks run files up by sha256;
    // resumable uploads are records here, so that a declaration made again (by this server
    // after a restart, or by another sharing the database) resumes the same upload. Written
    // to keep what is there, so that running it again changes nothing.
    version: 7,
    statements: [
      "CREATE INDEX IF NOT EXISTS run_files_by_sha256 ON run_files (sha256)",
      `CREATE TABLE IF NOT EXISTS file_uploads (
        id TEXT PRIMARY KEY,
        entity TEXT NOT NULL,
        project TEXT NOT NULL,
        run_id TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        content_type TEXT NOT NULL,
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        UNIQUE (entity, project, run_id, path, size, sha256)
      )`,
      "CREATE INDEX IF NOT EXISTS file_uploads_by_expiry ON file_uploads (expires_at)",
      // Files per run, kept with each new path, so that the limit (LIMITS.runFiles) costs one
      // lookup instead of a count of a million rows.
      `CREATE TABLE IF NOT EXISTS run_file_counts (
        entity TEXT NOT NULL,
        project TEXT NOT NULL,
        run_id TEXT NOT NULL,
        files INTEGER NOT NULL,
        PRIMARY KEY (entity, project, run_id)
      )`,
      `INSERT OR IGNORE INTO run_file_counts (entity, project, run_id, files)
       SELECT entity, project, run_id, COUNT(*) FROM run_files GROUP BY entity, project, run_id`,
    ],
  },
  {
    // The media index and key kinds (version 8): derived from history rows, so no checksum (a
    // damaged history block is reported by its own; the index can be rebuilt from the rows).
    version: 8,
    statements: [
      `CREATE TABLE IF NOT EXISTS media_items (
        run_pk INTEGER NOT NULL,
        key TEXT NOT NULL,
        step INTEGER NOT NULL,
        row_index INTEGER NOT NULL,
        item_index INTEGER NOT NULL,
        type TEXT NOT NULL,
        value_type TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT,
        size INTEGER,
        format TEXT,
        width INTEGER,
        height INTEGER,
        caption TEXT,
        detail TEXT,
        PRIMARY KEY (run_pk, key, step, row_index, item_index)
      ) WITHOUT ROWID`,
      `CREATE TABLE IF NOT EXISTS key_kinds (
        run_pk INTEGER NOT NULL,
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        count INTEGER NOT NULL,
        first_step INTEGER NOT NULL,
        last_step INTEGER NOT NULL,
        PRIMARY KEY (run_pk, key, kind)
      ) WITHOUT ROWID`,
      // Runs whose rows were stored before the hook existed: indexed at open, one by one.
      "CREATE TABLE IF NOT EXISTS rich_value_rebuilds (run_pk INTEGER PRIMARY KEY)",
      "INSERT OR IGNORE INTO rich_value_rebuilds (run_pk) SELECT pk FROM runs WHERE history_count > 0",
    ],
  },
  {
    // Histograms, table versions and chart presets (version 9; structured-schema.ts), derived
    // from the rows of runs already stored by the same rebuild as the media index.
    version: 9,
    statements: [
      ...STRUCTURED_SCHEMA,
      "INSERT OR IGNORE INTO rich_value_rebuilds (run_pk) SELECT pk FROM runs WHERE history_count > 0",
    ],
  },
  {
    // Alerts, their deliveries and the delivery log (version 10; alert-schema.ts).
    version: 10,
    statements: ALERT_SCHEMA,
  },
  {
    // Artifact collections, versions, manifest entries, aliases, tags and uses (version 11;
    // artifact-schema.ts).
    version: 11,
    statements: ARTIFACT_SCHEMA,
  },
  {
    // Soft deletion of artifact versions and collections (version 12; artifact-schema.ts).
    version: 12,
    statements: ARTIFACT_DELETION_SCHEMA,
  },
  {
    // Distributed artifacts' pending versions and their entries (version 13; artifact-schema.ts).
    version: 13,
    statements: ARTIFACT_DISTRIBUTED_SCHEMA,
  },
  {
    // Registry collections, links, aliases and audit log (version 14; registry-schema.ts).
    version: 14,
    statements: REGISTRY_SCHEMA,
  },
  {
    // Artifact versions' time to live, `ttl_s` (version 15; artifact-schema.ts).
    version: 15,
    statements: ARTIFACT_TTL_SCHEMA,
  },
  {
    // The runs that upserted into distributed versions, pending and committed (version 16;
    // artifact-schema.ts): every writer is a producer of the version in lineage.
    version: 16,
    statements: ARTIFACT_WRITERS_SCHEMA,
  },
  // The W&B endpoints' state between requests (version 17; wandb-state-schema.ts).
  { version: 17, statements: WANDB_STATE_SCHEMA },
  // Each run's history columns as logged (version 18; history-columns-schema.ts).
  { version: 18, statements: HISTORY_COLUMNS_SCHEMA },
];

/** The schema version from which rows of run data carry checksums (version 4 above). */
export const CHECKSUM_VERSION = 4;

/** The newest schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the migrations a database lacks; refuses a database written by a newer Stepwise. */
export function migrate(db: Database.Database, now: number): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)",
  );
  const current = storedSchemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new CorruptDataError(
      `database schema version ${current} is newer than this Stepwise (${SCHEMA_VERSION}); upgrade Stepwise or use another data directory`,
    );
  }
  const record = db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
  if (current < SCHEMA_VERSION) {
    registerChecksumFunctions(db);
    db.function("stepwise_random_uuid", { deterministic: false }, () => randomUUID());
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      for (const statement of migration.statements) db.exec(statement);
      record.run(migration.version, now);
    })();
  }
}

/** The schema version the database was last migrated to; 0 for a new database. */
export function storedSchemaVersion(db: Database.Database): number {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (table === undefined) return 0;
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
  return row.v ?? 0;
}
