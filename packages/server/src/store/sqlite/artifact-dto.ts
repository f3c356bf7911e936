/**
 * Rows of the artifact tables as the store's DTOs. A listing's tags and aliases are read in one
 * query each for all of its versions (grouped by version), not two queries per version.
 */
import type Database from "better-sqlite3";
import { parseExtended, type ArtifactVersionDto, type ManifestEntry } from "@stepwise/protocol";
import { versionName } from "../../domain/artifact-aliases.js";

export interface VersionRow {
  pk: number;
  collection_pk: number;
  entity: string;
  project: string;
  name: string;
  type: string;
  idx: number;
  digest: string;
  description: string;
  metadata: string;
  file_count: number;
  size: number;
  producer_entity: string | null;
  producer_project: string | null;
  producer_run_id: string | null;
  created_at: number;
  ttl_s: number | null;
}

export interface EntryRow {
  path: string;
  sha256: string | null;
  size: number | null;
  ref: string | null;
  ref_digest: string | null;
}

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

/** The DTOs of `rows`, in their order: tags and aliases read in one query each. */
export function versionDtos(db: Database.Database, rows: readonly VersionRow[]): ArtifactVersionDto[] {
  if (rows.length === 0) return [];
  const pks = JSON.stringify(rows.map((row) => row.pk));
  const tags = grouped(
    db
      .prepare<[string], { pk: number; value: string }>(
        `SELECT version_pk AS pk, tag AS value FROM artifact_tags
         WHERE version_pk IN (SELECT value FROM json_each(?)) ORDER BY version_pk, tag`,
      )
      .all(pks),
  );
  const aliases = grouped(
    db
      .prepare<[string], { pk: number; value: string }>(
        `SELECT version_pk AS pk, alias AS value FROM artifact_aliases
         WHERE version_pk IN (SELECT value FROM json_each(?)) ORDER BY version_pk, alias = 'latest' DESC, alias`,
      )
      .all(pks),
  );
  return rows.map((row) => toDto(row, tags.get(row.pk) ?? [], aliases.get(row.pk) ?? []));
}

function grouped(rows: readonly { pk: number; value: string }[]): Map<number, string[]> {
  const byPk = new Map<number, string[]>();
  for (const row of rows) {
    const list = byPk.get(row.pk);
    if (list === undefined) byPk.set(row.pk, [row.value]);
    else list.push(row.value);
  }
  return byPk;
}

function toDto(row: VersionRow, tags: string[], aliases: string[]): ArtifactVersionDto {
  return {
    entity: row.entity,
    project: row.project,
    name: row.name,
    type: row.type,
    version: versionName(row.idx),
    digest: row.digest,
    description: row.description,
    metadata: parseExtended(row.metadata) as Record<string, unknown>,
    aliases,
    tags,
    fileCount: row.file_count,
    size: row.size,
    producer:
      row.producer_run_id === null
        ? null
        : {
            entity: row.producer_entity ?? "",
            project: row.producer_project ?? "",
            runId: row.producer_run_id,
          },
    createdAt: row.created_at,
    ttlS: row.ttl_s,
  };
}

export function toEntry(row: EntryRow): ManifestEntry {
  return row.ref !== null
    ? { path: row.path, ref: row.ref, digest: row.ref_digest ?? row.ref, size: row.size }
    : { path: row.path, sha256: row.sha256 ?? "", size: row.size ?? 0 };
}
