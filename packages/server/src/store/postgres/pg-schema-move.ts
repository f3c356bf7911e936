/**
 * PostgreSQL schema version 8: what `stepwise migrate` records to resume a copy and to know that
 * a second copy of the same data has nothing to do (migrate/pg-move-progress.ts).
 * Listed in pg-schema.ts; the statements run in one transaction, in order.
 *
 * `move_runs`: one row per source run copied whole, keyed by the source store's instance id and
 * the run; `fingerprint` is a hash of what was copied (the run's metadata, stream counts and
 * file records), so a run that changed in the source since is copied again (its new rows only:
 * ingestion skips what the target holds). A run without a row here is copied from where the
 * target's stream counts stand, which is what makes a copy killed midway resumable.
 * `move_parts`: the parts copied whole in one transaction each (the artifact and registry
 * tables), with a fingerprint of the source rows they were copied from.
 */
export const MOVE_MIGRATION: readonly string[] = [
  `CREATE TABLE move_runs (
    source text NOT NULL, entity text NOT NULL, project text NOT NULL, run_id text NOT NULL,
    fingerprint text NOT NULL, moved_at double precision NOT NULL,
    PRIMARY KEY (source, entity, project, run_id)
  )`,
  `CREATE TABLE move_parts (
    source text NOT NULL, part text NOT NULL, fingerprint text NOT NULL,
    moved_at double precision NOT NULL,
    PRIMARY KEY (source, part)
  )`,
];
