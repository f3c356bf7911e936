/**
 * Rows of the artifact tables as the store's DTOs (the mapping is shared with PostgreSQL,
 * store/artifact-rows.ts). A listing's tags and aliases are read in one query each for all of
 * its versions (grouped by version), not two queries per version; so are distributed versions'
 * writers.
 */
import type Database from "better-sqlite3";
import type { ArtifactVersionDto } from "@stepwise/protocol";
import {
  groupValues,
  groupWriters,
  versionDtos as dtosOf,
  type VersionRow,
  type WriterRow,
} from "../artifact-rows.js";

export { toEntry, type EntryRow, type VersionRow } from "../artifact-rows.js";

export const VERSION_COLUMNS = `v.pk, v.collection_pk, c.entity, c.project, c.name, c.type, v.idx, v.digest,
  v.description, v.metadata, v.file_count, v.size, v.producer_entity, v.producer_project,
  v.producer_run_id, v.created_at,
  (SELECT t.ttl_s FROM artifact_version_ttls t WHERE t.version_pk = v.pk) AS ttl_s`;
export const VERSION_FROM = "artifact_versions v JOIN artifact_collections c ON c.pk = v.collection_pk";
/** Live versions only: a deleted version (or one of a deleted collection) is never listed or resolved. */
export const LIVE = "NOT EXISTS (SELECT 1 FROM artifact_deleted_versions d WHERE d.version_pk = v.pk)";
/** A collection not deleted (a deleted collection's versions are all deleted too). */
export const LIVE_COLLECTION =
  "NOT EXISTS (SELECT 1 FROM artifact_deleted_collections dc WHERE dc.collection_pk = c.pk)";

/** The DTOs of `rows`, in their order: tags, aliases and writers read in one query each. */
export function versionDtos(db: Database.Database, rows: readonly VersionRow[]): ArtifactVersionDto[] {
  if (rows.length === 0) return [];
  const pks = JSON.stringify(rows.map((row) => row.pk));
  const tags = groupValues(
    db
      .prepare<[string], { pk: number; value: string }>(
        `SELECT version_pk AS pk, tag AS value FROM artifact_tags
         WHERE version_pk IN (SELECT value FROM json_each(?)) ORDER BY version_pk, tag`,
      )
      .all(pks),
  );
  const aliases = groupValues(
    db
      .prepare<[string], { pk: number; value: string }>(
        `SELECT version_pk AS pk, alias AS value FROM artifact_aliases
         WHERE version_pk IN (SELECT value FROM json_each(?)) ORDER BY version_pk, alias = 'latest' DESC, alias`,
      )
      .all(pks),
  );
  const writers = groupWriters(
    db
      .prepare<[string], WriterRow>(
        `SELECT version_pk AS pk, entity, project, run_id FROM artifact_version_writers
         WHERE version_pk IN (SELECT value FROM json_each(?)) ORDER BY version_pk, seq`,
      )
      .all(pks),
  );
  return dtosOf(rows, tags, aliases, writers);
}
