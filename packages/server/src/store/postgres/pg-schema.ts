/**
 * The PostgreSQL schema as numbered migrations, applied in order at open inside one
 * transaction each, under an advisory lock so that several servers starting on one empty
 * database migrate it once. `schema_migrations` records what ran; a database that records a
 * version this code does not know (a newer Stepwise wrote it) is refused.
 *
 * Types: counts, indexes and steps are bigint (read as JS numbers, pg-pool.ts); times are
 * unix seconds in double precision; float columns keep NaN and ±Infinity (PostgreSQL's float8
 * has them). Config and summary are extended-JSON text, as on SQLite (run-row mapping shared),
 * with a jsonb copy each for filters and sorts (pg-run-filter.ts).
 */
import { CorruptDataError } from "@stepwise/protocol";
import type pg from "pg";
import { MEDIA_MIGRATION } from "./pg-schema-media.js";
import { ARTIFACTS_MIGRATION } from "./pg-schema-artifacts.js";
import { FLEET_MIGRATION } from "./pg-schema-fleet.js";
import { MOVE_MIGRATION } from "./pg-schema-move.js";
import { HISTORY_MIGRATION } from "./pg-schema-history.js";
import { WANDB_MIGRATION } from "./pg-schema-wandb.js";

/** Any 64-bit key for pg_advisory_xact_lock: taken while migrating. */
const MIGRATION_LOCK = 0x5354_4550; // "STEP"

const MIGRATIONS: ReadonlyArray<readonly string[]> = [
  // 1: runs, history, streams, series, files, uploads, API keys, instance id.
  [
    `CREATE TABLE server_instance (one integer PRIMARY KEY CHECK (one = 1), id text NOT NULL)`,
    `INSERT INTO server_instance (one, id) VALUES (1, gen_random_uuid()::text)`,
    `CREATE TABLE runs (
      pk bigserial PRIMARY KEY,
      entity text NOT NULL, project text NOT NULL, run_id text NOT NULL,
      name text NOT NULL, state text NOT NULL, group_name text NOT NULL, job_type text NOT NULL,
      tags text NOT NULL, notes text NOT NULL, config text NOT NULL, summary text NOT NULL,
      metrics text NOT NULL, host text NOT NULL, program text NOT NULL, args text NOT NULL,
      git_commit text, created_at double precision NOT NULL, heartbeat_at double precision NOT NULL,
      finished_at double precision, exit_code integer, last_step bigint, starting_step bigint NOT NULL,
      history_count bigint NOT NULL, events_count bigint NOT NULL, console_count bigint NOT NULL,
      meta_count bigint NOT NULL, stop_requested integer NOT NULL, ordinal integer NOT NULL,
      writer text,
      config_json jsonb NOT NULL, summary_json jsonb NOT NULL,
      UNIQUE (entity, project, run_id),
      UNIQUE (entity, project, ordinal)
    )`,
    `CREATE INDEX runs_by_created ON runs (entity, project, created_at)`,
    `CREATE INDEX runs_by_heartbeat ON runs (state, heartbeat_at)`,
    `CREATE TABLE history_rows (
      run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
      row_index bigint NOT NULL, step bigint NOT NULL, body text NOT NULL,
      PRIMARY KEY (run_pk, row_index)
    )`,
    `CREATE TABLE stream_lines (
      run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
      stream text NOT NULL, line_index bigint NOT NULL, body text NOT NULL,
      PRIMARY KEY (run_pk, stream, line_index)
    )`,
    `CREATE TABLE series (
      id bigserial PRIMARY KEY,
      run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
      key text COLLATE "C" NOT NULL, point_count bigint NOT NULL, sorted boolean NOT NULL,
      last_x double precision, rising boolean NOT NULL, last_y double precision,
      UNIQUE (run_pk, key)
    )`,
    `CREATE TABLE series_chunks (
      series_id bigint NOT NULL REFERENCES series (id) ON DELETE CASCADE,
      chunk_index bigint NOT NULL, n integer NOT NULL,
      x_first double precision NOT NULL, x_last double precision NOT NULL,
      x_data bytea, y_data bytea NOT NULL,
      PRIMARY KEY (series_id, chunk_index)
    )`,
    `CREATE INDEX series_chunks_by_x ON series_chunks (series_id, x_first, chunk_index)`,
    `CREATE TABLE series_rollups (
      series_id bigint NOT NULL REFERENCES series (id) ON DELETE CASCADE,
      level integer NOT NULL, block_index bigint NOT NULL, units bytea NOT NULL,
      PRIMARY KEY (series_id, level, block_index)
    )`,
    `CREATE TABLE run_files (
      entity text NOT NULL, project text NOT NULL, run_id text NOT NULL,
      path text COLLATE "C" NOT NULL, size bigint NOT NULL, sha256 text NOT NULL,
      content_type text NOT NULL, updated_at double precision NOT NULL,
      PRIMARY KEY (entity, project, run_id, path)
    )`,
    `CREATE INDEX run_files_by_blob ON run_files (sha256)`,
    `CREATE TABLE file_uploads (
      id text PRIMARY KEY,
      entity text NOT NULL, project text NOT NULL, run_id text NOT NULL, path text NOT NULL,
      size bigint NOT NULL, sha256 text NOT NULL, content_type text NOT NULL,
      created_at double precision NOT NULL, expires_at double precision NOT NULL,
      UNIQUE (entity, project, run_id, path, size, sha256)
    )`,
    `CREATE INDEX file_uploads_by_expiry ON file_uploads (expires_at)`,
    `CREATE TABLE api_keys (
      id text PRIMARY KEY, name text NOT NULL, entity text NOT NULL, admin boolean NOT NULL,
      created_at double precision NOT NULL, last_used_at double precision,
      secret_hash text NOT NULL UNIQUE
    )`,
  ],
  // 2: opening a run for a batch in one round trip (pg-ingest-port.ts). In READ COMMITTED each
  // statement of a volatile function reads a fresh snapshot, so the second look, made under
  // the project's creation lock, sees a run another creator committed while this one waited.
  [
    `CREATE FUNCTION stepwise_open_run(e text, p text, r text, OUT project_runs bigint, OUT run jsonb)
     LANGUAGE plpgsql VOLATILE AS $$
     BEGIN
       project_runs := 0;
       SELECT to_jsonb(x) - 'config_json' - 'summary_json' INTO run FROM runs x
         WHERE x.entity = e AND x.project = p AND x.run_id = r FOR UPDATE;
       IF FOUND THEN RETURN; END IF;
       PERFORM pg_advisory_xact_lock(hashtextextended(jsonb_build_array('run-creation', e, p)::text, 0));
       SELECT to_jsonb(x) - 'config_json' - 'summary_json' INTO run FROM runs x
         WHERE x.entity = e AND x.project = p AND x.run_id = r FOR UPDATE;
       IF FOUND THEN RETURN; END IF;
       -- Ordinals are 1…n without gaps and runs are never deleted: the largest is the count,
       -- read backwards from the (entity, project, ordinal) index instead of counting every run.
       SELECT COALESCE(MAX(x.ordinal), 0) INTO project_runs FROM runs x WHERE x.entity = e AND x.project = p;
     END $$`,
  ],
  // 3: files per run, kept with each new path, so that the limit (LIMITS.runFiles) costs one
  // row read instead of counting the run's files; counted from the files already stored.
  [
    `CREATE TABLE run_file_counts (
      entity text NOT NULL, project text NOT NULL, run_id text NOT NULL, files bigint NOT NULL,
      PRIMARY KEY (entity, project, run_id)
    )`,
    `INSERT INTO run_file_counts (entity, project, run_id, files)
     SELECT entity, project, run_id, COUNT(*) FROM run_files GROUP BY entity, project, run_id`,
  ],
  // 4: the chart presets users saved (the body as JSON text).
  [
    `CREATE TABLE chart_presets (
      id text COLLATE "C" PRIMARY KEY, body text NOT NULL,
      created_at double precision NOT NULL, updated_at double precision NOT NULL
    )`,
  ],
  // 5–8: each part's tables, in a module of its own.
  MEDIA_MIGRATION,
  ARTIFACTS_MIGRATION,
  FLEET_MIGRATION,
  MOVE_MIGRATION,
  // 9: history as packed blocks; 10: the W&B endpoints' state between requests.
  HISTORY_MIGRATION,
  WANDB_MIGRATION,
];

/** The newest schema version this code knows. */
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to PG_SCHEMA_VERSION (`target`: an older version, for tests of upgrades);
 * `where` names it in errors (the URL without a password).
 */
export async function migrate(pool: pg.Pool, where: string, target = PG_SCHEMA_VERSION): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, applied_at double precision NOT NULL)`,
    );
    const { rows } = await client.query<{ v: number | null }>(
      "SELECT MAX(version) AS v FROM schema_migrations",
    );
    const current = rows[0]?.v ?? 0;
    if (current > PG_SCHEMA_VERSION)
      throw new CorruptDataError(
        `the PostgreSQL database ${where} has schema version ${current}, newer than this Stepwise ` +
          `knows (${PG_SCHEMA_VERSION}); upgrade Stepwise to open it`,
      );
    for (let version = current + 1; version <= target; version++) {
      for (const statement of MIGRATIONS[version - 1] ?? []) await client.query(statement);
      await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [
        version,
        Date.now() / 1000,
      ]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
