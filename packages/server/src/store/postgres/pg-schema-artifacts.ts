/**
 * PostgreSQL schema version 6: artifacts, distributed artifacts, the registry and its audit log.
 * Listed in pg-schema.ts; the statements run in one transaction, in order.
 *
 * The tables follow the SQLite store's (sqlite/artifact-schema.ts, registry-schema.ts) with
 * two differences: soft deletion and a version's TTL are columns (`deleted_at`, `ttl_s` /
 * `expires_at`), since this schema is new and need not re-run; and paths are COLLATE "C", so
 * that manifests page in code-point order (UTF-8 bytes) whatever the database's locale.
 */
export const ARTIFACTS_MIGRATION: readonly string[] = [
  `CREATE TABLE artifact_collections (
    pk bigserial PRIMARY KEY,
    entity text NOT NULL, project text NOT NULL, name text NOT NULL, type text NOT NULL,
    created_at double precision NOT NULL, updated_at double precision NOT NULL,
    deleted_at double precision,
    UNIQUE (entity, project, name)
  )`,
  `CREATE INDEX artifact_collections_by_type ON artifact_collections (entity, project, type, name)`,
  `CREATE TABLE artifact_versions (
    pk bigserial PRIMARY KEY,
    collection_pk bigint NOT NULL REFERENCES artifact_collections (pk),
    idx bigint NOT NULL, digest text NOT NULL, description text NOT NULL, metadata text NOT NULL,
    file_count bigint NOT NULL, size bigint NOT NULL,
    producer_entity text, producer_project text, producer_run_id text,
    created_at double precision NOT NULL,
    ttl_s bigint, expires_at double precision,
    deleted_at double precision,
    UNIQUE (collection_pk, idx)
  )`,
  `CREATE INDEX artifact_versions_by_producer
    ON artifact_versions (producer_entity, producer_project, producer_run_id) WHERE producer_run_id IS NOT NULL`,
  `CREATE INDEX artifact_versions_by_expiry ON artifact_versions (expires_at)
    WHERE expires_at IS NOT NULL AND deleted_at IS NULL`,
  `CREATE TABLE artifact_entries (
    version_pk bigint NOT NULL REFERENCES artifact_versions (pk),
    path text COLLATE "C" NOT NULL,
    sha256 text, size bigint, ref text, ref_digest text,
    PRIMARY KEY (version_pk, path)
  )`,
  `CREATE INDEX artifact_entries_by_sha256 ON artifact_entries (sha256) WHERE sha256 IS NOT NULL`,
  `CREATE TABLE artifact_aliases (
    collection_pk bigint NOT NULL REFERENCES artifact_collections (pk),
    alias text NOT NULL,
    version_pk bigint NOT NULL REFERENCES artifact_versions (pk),
    updated_at double precision NOT NULL,
    PRIMARY KEY (collection_pk, alias)
  )`,
  `CREATE INDEX artifact_aliases_by_version ON artifact_aliases (version_pk)`,
  `CREATE TABLE artifact_tags (
    version_pk bigint NOT NULL REFERENCES artifact_versions (pk),
    tag text COLLATE "C" NOT NULL,
    PRIMARY KEY (version_pk, tag)
  )`,
  `CREATE TABLE artifact_uses (
    version_pk bigint NOT NULL REFERENCES artifact_versions (pk),
    entity text NOT NULL, project text NOT NULL, run_id text NOT NULL,
    used_at double precision NOT NULL,
    PRIMARY KEY (version_pk, entity, project, run_id)
  )`,
  `CREATE INDEX artifact_uses_by_run ON artifact_uses (entity, project, run_id)`,
  // Distributed artifacts: a pending version per (collection name, distributed id); aliases and
  // tags asked so far as JSON arrays; the first conflict as JSON; the version it became.
  `CREATE TABLE artifact_pending (
    pk bigserial PRIMARY KEY,
    entity text NOT NULL, project text NOT NULL, name text NOT NULL, distributed_id text NOT NULL,
    type text NOT NULL, aliases text NOT NULL, tags text NOT NULL, conflict text,
    version_pk bigint REFERENCES artifact_versions (pk),
    created_at double precision NOT NULL, updated_at double precision NOT NULL,
    UNIQUE (entity, project, name, distributed_id)
  )`,
  `CREATE TABLE artifact_pending_entries (
    pending_pk bigint NOT NULL REFERENCES artifact_pending (pk) ON DELETE CASCADE,
    path text COLLATE "C" NOT NULL,
    sha256 text, size bigint, ref text, ref_digest text,
    PRIMARY KEY (pending_pk, path)
  )`,
  `CREATE INDEX artifact_pending_entries_by_sha256 ON artifact_pending_entries (sha256) WHERE sha256 IS NOT NULL`,
  // The runs that upserted into a pending version (`seq`: the order of their first upsert), and
  // the writers of the versions finishes created: producers beside the finishing run.
  `CREATE TABLE artifact_pending_writers (
    seq bigserial PRIMARY KEY,
    pending_pk bigint NOT NULL REFERENCES artifact_pending (pk) ON DELETE CASCADE,
    entity text NOT NULL, project text NOT NULL, run_id text NOT NULL,
    UNIQUE (pending_pk, entity, project, run_id)
  )`,
  `CREATE TABLE artifact_version_writers (
    version_pk bigint NOT NULL REFERENCES artifact_versions (pk),
    entity text NOT NULL, project text NOT NULL, run_id text NOT NULL,
    seq bigint NOT NULL,
    PRIMARY KEY (version_pk, entity, project, run_id)
  )`,
  `CREATE INDEX artifact_version_writers_by_run ON artifact_version_writers (entity, project, run_id)`,
  // The registry: next_idx kept so that a number is never reused after an unlink.
  `CREATE TABLE registry_collections (
    pk bigserial PRIMARY KEY,
    entity text NOT NULL, registry text NOT NULL, name text NOT NULL, type text NOT NULL,
    next_idx bigint NOT NULL,
    created_at double precision NOT NULL, updated_at double precision NOT NULL,
    UNIQUE (entity, registry, name)
  )`,
  `CREATE TABLE registry_links (
    pk bigserial PRIMARY KEY,
    collection_pk bigint NOT NULL REFERENCES registry_collections (pk),
    idx bigint NOT NULL,
    version_pk bigint NOT NULL REFERENCES artifact_versions (pk),
    linked_at double precision NOT NULL, linked_by text NOT NULL,
    UNIQUE (collection_pk, idx),
    UNIQUE (collection_pk, version_pk)
  )`,
  `CREATE INDEX registry_links_by_version ON registry_links (version_pk)`,
  `CREATE TABLE registry_aliases (
    collection_pk bigint NOT NULL REFERENCES registry_collections (pk),
    alias text NOT NULL,
    link_pk bigint NOT NULL REFERENCES registry_links (pk),
    updated_at double precision NOT NULL,
    PRIMARY KEY (collection_pk, alias)
  )`,
  `CREATE INDEX registry_aliases_by_link ON registry_aliases (link_pk)`,
  `CREATE TABLE registry_audit (
    id bigserial PRIMARY KEY,
    collection_pk bigint NOT NULL REFERENCES registry_collections (pk),
    action text NOT NULL, alias text, from_version text, to_version text, artifact text,
    actor text NOT NULL, at double precision NOT NULL
  )`,
  `CREATE INDEX registry_audit_by_collection ON registry_audit (collection_pk, id)`,
];
