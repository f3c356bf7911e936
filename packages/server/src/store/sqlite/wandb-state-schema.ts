/**
 * SQLite schema version 17: the W&B-compatible endpoints' state that outlives one request (an
 * artifact being built between `createArtifact` and `commitArtifact`, a resumed client's console
 * offset, the MD5 of each blob hashed), kept in the database so that any server answers any
 * request. Listed in schema.ts; read and written by wandb-state-records.ts (store/wandb-state-store.ts
 * says what each row means).
 */
export const WANDB_STATE_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS wandb_pending_artifacts (
    id TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    created_at REAL NOT NULL,
    manifest TEXT,
    committed TEXT
  ) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS wandb_pending_artifacts_by_age ON wandb_pending_artifacts (created_at)",
  `CREATE TABLE IF NOT EXISTS wandb_pending_files (
    pending_id TEXT NOT NULL REFERENCES wandb_pending_artifacts (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    md5 TEXT NOT NULL,
    PRIMARY KEY (pending_id, path)
  ) WITHOUT ROWID`,
  // Garbage collection asks whether a pending W&B upload holds a blob (file-records.ts).
  "CREATE INDEX IF NOT EXISTS wandb_pending_files_by_sha256 ON wandb_pending_files (sha256)",
  `CREATE TABLE IF NOT EXISTS wandb_blob_md5 (
    sha256 TEXT PRIMARY KEY,
    md5 TEXT NOT NULL
  ) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS wandb_blob_md5_by_md5 ON wandb_blob_md5 (md5)",
  `CREATE TABLE IF NOT EXISTS wandb_console_resume (
    entity TEXT NOT NULL,
    project TEXT NOT NULL,
    run_id TEXT NOT NULL,
    base INTEGER NOT NULL,
    shift INTEGER,
    updated_at REAL NOT NULL,
    PRIMARY KEY (entity, project, run_id)
  ) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS wandb_console_resume_by_age ON wandb_console_resume (updated_at)",
];
