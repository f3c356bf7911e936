/**
 * PostgreSQL schema version 10: the W&B-compatible endpoints' state that outlives one request
 * (see sqlite/wandb-state-schema.ts; store/wandb-state-store.ts says what each row means). Listed
 * in pg-schema.ts; read and written by pg-wandb-state.ts.
 */
export const WANDB_MIGRATION: readonly string[] = [
  `CREATE TABLE wandb_pending_artifacts (
    id text PRIMARY KEY,
    spec text NOT NULL,
    created_at double precision NOT NULL,
    manifest text,
    committed text
  )`,
  "CREATE INDEX wandb_pending_artifacts_by_age ON wandb_pending_artifacts (created_at)",
  `CREATE TABLE wandb_pending_files (
    pending_id text NOT NULL REFERENCES wandb_pending_artifacts (id) ON DELETE CASCADE,
    path text NOT NULL,
    sha256 text NOT NULL,
    size bigint NOT NULL,
    md5 text NOT NULL,
    PRIMARY KEY (pending_id, path)
  )`,
  // Garbage collection asks whether a pending W&B upload holds a blob (pg-artifact-blobs.ts).
  "CREATE INDEX wandb_pending_files_by_sha256 ON wandb_pending_files (sha256)",
  `CREATE TABLE wandb_blob_md5 (
    sha256 text PRIMARY KEY,
    md5 text NOT NULL
  )`,
  "CREATE INDEX wandb_blob_md5_by_md5 ON wandb_blob_md5 (md5)",
  `CREATE TABLE wandb_console_resume (
    entity text NOT NULL,
    project text NOT NULL,
    run_id text NOT NULL,
    base bigint NOT NULL,
    shift boolean,
    updated_at double precision NOT NULL,
    PRIMARY KEY (entity, project, run_id)
  )`,
  "CREATE INDEX wandb_console_resume_by_age ON wandb_console_resume (updated_at)",
];
