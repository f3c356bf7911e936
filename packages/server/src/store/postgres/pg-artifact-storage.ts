/**
 * Storage a project's artifacts use, and what deleting some versions would free, on
 * PostgreSQL. The counting (each content once per collection and once in all) is shared with
 * SQLite (domain/artifact-storage-count.ts); what deleting frees is the distinct blobs the
 * versions hold that no other live version, no pending distributed entry and no run file
 * holds (the references garbage collection counts, pg-artifact-blobs.ts).
 */
import type pg from "pg";
import { versionIndex } from "../../domain/artifact-aliases.js";
import { countStorage, type CollectionUse, type HeldContent } from "../../domain/artifact-storage-count.js";
import type { ArtifactStorageDto } from "../artifact-store.js";

export async function bytesFreedBy(
  pool: pg.Pool,
  collection: { entity: string; project: string; name: string },
  versions: readonly string[],
): Promise<number> {
  const indexes = versions.map(versionIndex).filter((index): index is number => index !== null);
  if (indexes.length === 0) return 0;
  const { rows } = await pool.query<{ bytes: number | null }>(
    `WITH doomed AS (
       SELECT v.pk FROM artifact_versions v JOIN artifact_collections c ON c.pk = v.collection_pk
       WHERE c.entity = $1 AND c.project = $2 AND c.name = $3 AND v.idx = ANY($4::bigint[])
         AND v.deleted_at IS NULL
     ), blobs AS (
       SELECT DISTINCT e.sha256, e.size FROM artifact_entries e
       WHERE e.version_pk IN (SELECT pk FROM doomed) AND e.sha256 IS NOT NULL
     )
     SELECT SUM(b.size)::bigint AS bytes FROM blobs b
     WHERE NOT EXISTS (SELECT 1 FROM run_files f WHERE f.sha256 = b.sha256)
       AND NOT EXISTS (SELECT 1 FROM artifact_pending_entries p WHERE p.sha256 = b.sha256)
       AND NOT EXISTS (
         SELECT 1 FROM artifact_entries o JOIN artifact_versions ov ON ov.pk = o.version_pk
         WHERE o.sha256 = b.sha256 AND ov.deleted_at IS NULL AND o.version_pk NOT IN (SELECT pk FROM doomed))`,
    [collection.entity, collection.project, collection.name, indexes],
  );
  return rows[0]?.bytes ?? 0;
}

export async function storageUsed(
  pool: pg.Pool,
  entity: string,
  project: string,
): Promise<ArtifactStorageDto> {
  const collections = await pool.query<CollectionUse>(
    `SELECT c.pk AS key, c.name, c.type, COUNT(v.pk) AS versions, COALESCE(SUM(v.size), 0)::bigint AS logical
     FROM artifact_collections c JOIN artifact_versions v ON v.collection_pk = c.pk
     WHERE c.entity = $1 AND c.project = $2 AND v.deleted_at IS NULL
     GROUP BY c.pk ORDER BY c.type COLLATE "C", c.name COLLATE "C"`,
    [entity, project],
  );
  const contents = await pool.query<HeldContent>(
    `SELECT DISTINCT c.pk AS key, e.sha256, e.size
     FROM artifact_entries e JOIN artifact_versions v ON v.pk = e.version_pk
       JOIN artifact_collections c ON c.pk = v.collection_pk
     WHERE c.entity = $1 AND c.project = $2 AND e.sha256 IS NOT NULL AND v.deleted_at IS NULL`,
    [entity, project],
  );
  return countStorage(collections.rows, contents.rows);
}
