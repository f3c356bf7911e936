/**
 * The artifact and registry tables as `stepwise migrate` copies them: row for row, primary keys
 * kept (the target's tables are empty when they are copied, so no key has to be renumbered),
 * parents before children. Each entry names the PostgreSQL table and its columns
 * (store/postgres/pg-schema-artifacts.ts) and the SQLite query that yields them in that order
 * (store/sqlite/artifact-schema.ts, registry-schema.ts): SQLite keeps soft deletion and TTLs in
 * tables of their own, PostgreSQL in columns.
 */
export interface TableCopy {
  table: string;
  columns: readonly string[];
  /** SQLite SELECT giving `columns` in order, ordered by the primary key. */
  select: string;
  /** The column whose sequence is moved past the copied keys. */
  serial?: string;
}

const ENTRY = ["path", "sha256", "size", "ref", "ref_digest"];

export const ARTIFACT_TABLES: readonly TableCopy[] = [
  {
    table: "artifact_collections",
    columns: ["pk", "entity", "project", "name", "type", "created_at", "updated_at", "deleted_at"],
    select: `SELECT c.pk, c.entity, c.project, c.name, c.type, c.created_at, c.updated_at, d.deleted_at
      FROM artifact_collections c LEFT JOIN artifact_deleted_collections d ON d.collection_pk = c.pk ORDER BY c.pk`,
    serial: "pk",
  },
  {
    table: "artifact_versions",
    columns: [
      "pk",
      "collection_pk",
      "idx",
      "digest",
      "description",
      "metadata",
      "file_count",
      "size",
      "producer_entity",
      "producer_project",
      "producer_run_id",
      "created_at",
      "ttl_s",
      "expires_at",
      "deleted_at",
    ],
    select: `SELECT v.pk, v.collection_pk, v.idx, v.digest, v.description, v.metadata, v.file_count, v.size,
        v.producer_entity, v.producer_project, v.producer_run_id, v.created_at, t.ttl_s, t.expires_at, d.deleted_at
      FROM artifact_versions v
      LEFT JOIN artifact_version_ttls t ON t.version_pk = v.pk
      LEFT JOIN artifact_deleted_versions d ON d.version_pk = v.pk ORDER BY v.pk`,
    serial: "pk",
  },
  {
    table: "artifact_entries",
    columns: ["version_pk", ...ENTRY],
    select: `SELECT version_pk, ${ENTRY.join(", ")} FROM artifact_entries ORDER BY version_pk, path`,
  },
  {
    table: "artifact_aliases",
    columns: ["collection_pk", "alias", "version_pk", "updated_at"],
    select:
      "SELECT collection_pk, alias, version_pk, updated_at FROM artifact_aliases ORDER BY collection_pk, alias",
  },
  {
    table: "artifact_tags",
    columns: ["version_pk", "tag"],
    select: "SELECT version_pk, tag FROM artifact_tags ORDER BY version_pk, tag",
  },
  {
    table: "artifact_uses",
    columns: ["version_pk", "entity", "project", "run_id", "used_at"],
    select: `SELECT version_pk, entity, project, run_id, used_at FROM artifact_uses
      ORDER BY version_pk, entity, project, run_id`,
  },
  {
    table: "artifact_pending",
    columns: [
      "pk",
      "entity",
      "project",
      "name",
      "distributed_id",
      "type",
      "aliases",
      "tags",
      "conflict",
      "version_pk",
      "created_at",
      "updated_at",
    ],
    select: `SELECT pk, entity, project, name, distributed_id, type, aliases, tags, conflict, version_pk,
        created_at, updated_at FROM artifact_pending ORDER BY pk`,
    serial: "pk",
  },
  {
    table: "artifact_pending_entries",
    columns: ["pending_pk", ...ENTRY],
    select: `SELECT pending_pk, ${ENTRY.join(", ")} FROM artifact_pending_entries ORDER BY pending_pk, path`,
  },
  {
    table: "artifact_pending_writers",
    columns: ["seq", "pending_pk", "entity", "project", "run_id"],
    select: "SELECT seq, pending_pk, entity, project, run_id FROM artifact_pending_writers ORDER BY seq",
    serial: "seq",
  },
  {
    table: "artifact_version_writers",
    columns: ["version_pk", "entity", "project", "run_id", "seq"],
    select: `SELECT version_pk, entity, project, run_id, seq FROM artifact_version_writers
      ORDER BY version_pk, entity, project, run_id`,
  },
  {
    table: "registry_collections",
    columns: ["pk", "entity", "registry", "name", "type", "next_idx", "created_at", "updated_at"],
    select: `SELECT pk, entity, registry, name, type, next_idx, created_at, updated_at
      FROM registry_collections ORDER BY pk`,
    serial: "pk",
  },
  {
    table: "registry_links",
    columns: ["pk", "collection_pk", "idx", "version_pk", "linked_at", "linked_by"],
    select: "SELECT pk, collection_pk, idx, version_pk, linked_at, linked_by FROM registry_links ORDER BY pk",
    serial: "pk",
  },
  {
    table: "registry_aliases",
    columns: ["collection_pk", "alias", "link_pk", "updated_at"],
    select:
      "SELECT collection_pk, alias, link_pk, updated_at FROM registry_aliases ORDER BY collection_pk, alias",
  },
  {
    table: "registry_audit",
    columns: [
      "id",
      "collection_pk",
      "action",
      "alias",
      "from_version",
      "to_version",
      "artifact",
      "actor",
      "at",
    ],
    select: `SELECT id, collection_pk, action, alias, from_version, to_version, artifact, actor, at
      FROM registry_audit ORDER BY id`,
    serial: "id",
  },
];

/** The contents artifact files point at (sha256 and size), each once. */
export const ARTIFACT_BLOBS_SELECT = `SELECT sha256, size FROM artifact_entries WHERE sha256 IS NOT NULL
  UNION SELECT sha256, size FROM artifact_pending_entries WHERE sha256 IS NOT NULL`;
