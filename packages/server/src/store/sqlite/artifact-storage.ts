/**
 * Storage used by a project's live versions: per collection and in all, each blob counted once
 * (`bytes`), beside the sum of the versions' listed sizes (`logicalBytes`); the counting is
 * domain/artifact-storage-count.ts, shared with PostgreSQL.
 *
 * What deleting some versions would free: the bytes of the distinct blobs their manifests hold
 * that no other live version (of any collection), no unfinished distributed artifact and no run
 * file references. A blob several of them share, or one a version lists twice, counts once.
 */
import type Database from "better-sqlite3";
import { versionIndex } from "../../domain/artifact-aliases.js";
import { countStorage, type CollectionUse, type HeldContent } from "../../domain/artifact-storage-count.js";
import type { ArtifactStorageDto } from "../artifact-store.js";

export function bytesFreedBy(
  db: Database.Database,
  collection: { entity: string; project: string; name: string },
  versions: readonly string[],
): number {
  const indexes = versions.map(versionIndex).filter((index): index is number => index !== null);
  if (indexes.length === 0) return 0;
  const row = db
    .prepare<[string, string, string, string], { bytes: number | null }>(
      `WITH doomed AS (
         SELECT v.pk FROM artifact_versions v JOIN artifact_collections c ON c.pk = v.collection_pk
         WHERE c.entity = ? AND c.project = ? AND c.name = ? AND v.idx IN (SELECT value FROM json_each(?))
           AND NOT EXISTS (SELECT 1 FROM artifact_deleted_versions d WHERE d.version_pk = v.pk)
       ), blobs AS (
         SELECT DISTINCT e.sha256, e.size FROM artifact_entries e
         WHERE e.version_pk IN (SELECT pk FROM doomed) AND e.sha256 IS NOT NULL
       )
       SELECT SUM(b.size) AS bytes FROM blobs b
       WHERE NOT EXISTS (SELECT 1 FROM run_files f WHERE f.sha256 = b.sha256)
         AND NOT EXISTS (SELECT 1 FROM artifact_pending_entries p WHERE p.sha256 = b.sha256)
         AND NOT EXISTS (
           SELECT 1 FROM artifact_entries o WHERE o.sha256 = b.sha256
             AND o.version_pk NOT IN (SELECT pk FROM doomed)
             AND NOT EXISTS (SELECT 1 FROM artifact_deleted_versions d WHERE d.version_pk = o.version_pk))`,
    )
    .get(collection.entity, collection.project, collection.name, JSON.stringify(indexes));
  return row?.bytes ?? 0;
}

const LIVE_ENTRIES = `FROM artifact_entries e JOIN artifact_versions v ON v.pk = e.version_pk
  JOIN artifact_collections c ON c.pk = v.collection_pk
  WHERE c.entity = ? AND c.project = ? AND e.sha256 IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM artifact_deleted_versions d WHERE d.version_pk = v.pk)`;

export function storageUsed(db: Database.Database, entity: string, project: string): ArtifactStorageDto {
  const collections = db
    .prepare<[string, string], CollectionUse>(
      `SELECT c.pk AS key, c.name, c.type, COUNT(v.pk) AS versions, COALESCE(SUM(v.size), 0) AS logical
       FROM artifact_collections c JOIN artifact_versions v ON v.collection_pk = c.pk
       WHERE c.entity = ? AND c.project = ?
         AND NOT EXISTS (SELECT 1 FROM artifact_deleted_versions d WHERE d.version_pk = v.pk)
       GROUP BY c.pk ORDER BY c.type, c.name`,
    )
    .all(entity, project);
  const contents = db
    .prepare<[string, string], HeldContent>(`SELECT DISTINCT c.pk AS key, e.sha256, e.size ${LIVE_ENTRIES}`)
    .all(entity, project);
  return countStorage(collections, contents);
}
