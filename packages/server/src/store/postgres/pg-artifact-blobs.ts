/**
 * Blob references on PostgreSQL, for garbage collection (Store.isBlobReferenced / collectBlob):
 * a blob is held by a run file, a live artifact version's manifest entry, a pending
 * distributed entry, or a W&B client's upload for an artifact not committed yet, as on SQLite. `collect` takes the blob's advisory lock (which recording a
 * run file takes, pg-file-records.ts) and the artifact blob lock exclusively (which every
 * manifest write takes shared, pg-artifact-rows.ts), then checks and removes: a commit either
 * lands before the check (and holds the blob) or checks the blob's presence after the removal
 * (and is refused). One key rather than one per blob: a manifest may hold 100,000 blobs, more
 * advisory locks than the server's lock table holds (max_locks_per_transaction, default 64,
 * times max_connections).
 */
import type pg from "pg";
import { transaction } from "./pg-database.js";
import { BLOB_LOCK, type PgFileRecords } from "./pg-file-records.js";
import { ARTIFACT_BLOBS_KEY, type Db } from "./pg-artifact-rows.js";

export async function artifactsHoldBlob(db: Db, sha256: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM artifact_entries e JOIN artifact_versions v ON v.pk = e.version_pk
     WHERE e.sha256 = $1 AND v.deleted_at IS NULL
     UNION ALL SELECT 1 FROM artifact_pending_entries p WHERE p.sha256 = $1
     UNION ALL SELECT 1 FROM wandb_pending_files w WHERE w.sha256 = $1 LIMIT 1`,
    [sha256],
  );
  return rows.length > 0;
}

export class PgBlobReferences {
  constructor(
    private readonly pool: pg.Pool,
    private readonly files: PgFileRecords,
  ) {}

  async isReferenced(sha256: string): Promise<boolean> {
    return (await this.files.isReferenced(sha256)) || (await artifactsHoldBlob(this.pool, sha256));
  }

  collect(sha256: string, remove: () => boolean): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      await client.query(BLOB_LOCK, [`blob:${sha256}`]);
      await client.query(BLOB_LOCK, [ARTIFACT_BLOBS_KEY]);
      if (await this.files.isReferenced(sha256, client)) return false;
      if (await artifactsHoldBlob(client, sha256)) return false;
      return remove();
    });
  }
}
