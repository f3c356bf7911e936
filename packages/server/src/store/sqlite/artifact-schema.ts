/**
 * Schema of artifacts (a migration in schema.ts): collections per project, versions with their
 * digest and producer, one row per manifest entry (a stored entry's sha256 is indexed so garbage
 * collection can ask whether any manifest holds a blob), aliases unique within a collection
 * (moved by updating their row, so a reader sees the old or the new version, never none), tags,
 * and the runs that used each version.
 */
export const ARTIFACT_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS artifact_collections (
    pk INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    UNIQUE (entity, project, name)
  )`,
  "CREATE INDEX IF NOT EXISTS artifact_collections_by_type ON artifact_collections (entity, project, type, name)",
  `CREATE TABLE IF NOT EXISTS artifact_versions (
    pk INTEGER PRIMARY KEY,
    collection_pk INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    digest TEXT NOT NULL,
    description TEXT NOT NULL,
    metadata TEXT NOT NULL,
    file_count INTEGER NOT NULL,
    size INTEGER NOT NULL,
    producer_entity TEXT,
    producer_project TEXT,
    producer_run_id TEXT,
    created_at REAL NOT NULL,
    UNIQUE (collection_pk, idx)
  )`,
  `CREATE INDEX IF NOT EXISTS artifact_versions_by_producer
    ON artifact_versions (producer_entity, producer_project, producer_run_id) WHERE producer_run_id IS NOT NULL`,
  `CREATE TABLE IF NOT EXISTS artifact_entries (
    version_pk INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT,
    size INTEGER,
    ref TEXT,
    ref_digest TEXT,
    PRIMARY KEY (version_pk, path)
  ) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS artifact_entries_by_sha256 ON artifact_entries (sha256) WHERE sha256 IS NOT NULL",
  `CREATE TABLE IF NOT EXISTS artifact_aliases (
    collection_pk INTEGER NOT NULL,
    alias TEXT NOT NULL,
    version_pk INTEGER NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (collection_pk, alias)
  ) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS artifact_aliases_by_version ON artifact_aliases (version_pk)",
  `CREATE TABLE IF NOT EXISTS artifact_tags (
    version_pk INTEGER NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (version_pk, tag)
  ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS artifact_uses (
    version_pk INTEGER NOT NULL,
    entity TEXT NOT NULL,
    project TEXT NOT NULL,
    run_id TEXT NOT NULL,
    used_at REAL NOT NULL,
    PRIMARY KEY (version_pk, entity, project, run_id)
  ) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS artifact_uses_by_run ON artifact_uses (entity, project, run_id)",
];

/**
 * Soft deletion (a later migration): a deleted version or collection keeps its rows, so version
 * names are never reused, but is never listed or resolved, and its manifest entries no longer
 * keep blobs from garbage collection. Tables rather than columns, so the migration can run again.
 */
export const ARTIFACT_DELETION_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS artifact_deleted_versions (
    version_pk INTEGER PRIMARY KEY,
    deleted_at REAL NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS artifact_deleted_collections (
    collection_pk INTEGER PRIMARY KEY,
    deleted_at REAL NOT NULL
  )`,
];

/**
 * Distributed artifacts (version 13; distributed-artifact-store.ts): a pending version per
 * (collection name, distributed id) with the entries every writer added, the aliases and tags
 * asked so far, the first conflicting path, and — once finished — the version it became
 * (`version_pk`; its entries are then deleted here, the version holds them). Pending entries'
 * sha256s are indexed: garbage collection counts them as references.
 */
export const ARTIFACT_DISTRIBUTED_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS artifact_pending (
    pk INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    distributed_id TEXT NOT NULL,
    type TEXT NOT NULL,
    aliases TEXT NOT NULL,
    tags TEXT NOT NULL,
    conflict TEXT,
    version_pk INTEGER,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    UNIQUE (entity, project, name, distributed_id)
  )`,
  `CREATE TABLE IF NOT EXISTS artifact_pending_entries (
    pending_pk INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT,
    size INTEGER,
    ref TEXT,
    ref_digest TEXT,
    PRIMARY KEY (pending_pk, path)
  ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS artifact_pending_entries_by_sha256
    ON artifact_pending_entries (sha256) WHERE sha256 IS NOT NULL`,
];

/**
 * A version's time to live (version 15): a row per version that has one, `expires_at` =
 * created_at + ttl_s (retention passes ask for the expired). A table of its own rather than a
 * column: every statement re-runs harmlessly (IF NOT EXISTS), as the migrations after 5 must.
 */
export const ARTIFACT_TTL_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS artifact_version_ttls (
    version_pk INTEGER PRIMARY KEY,
    ttl_s INTEGER NOT NULL,
    expires_at REAL NOT NULL
  )`,
  "CREATE INDEX IF NOT EXISTS artifact_version_ttls_by_expiry ON artifact_version_ttls (expires_at)",
];

/**
 * The writers of distributed versions (version 16): each run that upserted into a pending
 * version, once (`seq` keeps the order of their first upsert), and, once a finish created the
 * version, the same runs as that version's writers, its producers beside the finishing run
 * (lineage: a run's produced versions include those it wrote to). A discarded pending version's
 * writers are dropped with it.
 */
export const ARTIFACT_WRITERS_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS artifact_pending_writers (
    seq INTEGER PRIMARY KEY,
    pending_pk INTEGER NOT NULL,
    entity TEXT NOT NULL,
    project TEXT NOT NULL,
    run_id TEXT NOT NULL,
    UNIQUE (pending_pk, entity, project, run_id)
  )`,
  `CREATE TABLE IF NOT EXISTS artifact_version_writers (
    version_pk INTEGER NOT NULL,
    entity TEXT NOT NULL,
    project TEXT NOT NULL,
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (version_pk, entity, project, run_id)
  ) WITHOUT ROWID`,
  "CREATE INDEX IF NOT EXISTS artifact_version_writers_by_run ON artifact_version_writers (entity, project, run_id)",
];
