/**
 * Resumable uploads in progress on PostgreSQL (table `file_uploads`): one row per (run, path,
 * size, sha256), so that declaring the same file again finds the same upload and its bytes.
 */
import type pg from "pg";
import type { RunRef } from "@stepwise/protocol";
import type { StoredUpload } from "../store.js";
import { uploadFromRow, type UploadRow } from "../upload-rows.js";

export class PgUploadRecords {
  constructor(private readonly pool: pg.Pool) {}

  async find(ref: RunRef, path: string, size: number, sha256: string): Promise<StoredUpload | null> {
    const { rows } = await this.pool.query<UploadRow>(
      `SELECT * FROM file_uploads WHERE entity = $1 AND project = $2 AND run_id = $3 AND path = $4
         AND size = $5 AND sha256 = $6`,
      [ref.entity, ref.project, ref.runId, path, size, sha256],
    );
    return rows[0] ? uploadFromRow(rows[0]) : null;
  }

  async get(id: string): Promise<StoredUpload | null> {
    const { rows } = await this.pool.query<UploadRow>("SELECT * FROM file_uploads WHERE id = $1", [id]);
    return rows[0] ? uploadFromRow(rows[0]) : null;
  }

  /** Inserts, or renews the expiry of the upload with this id; a second upload of the same content loses. */
  async save(u: StoredUpload): Promise<void> {
    const renewed = await this.pool.query("UPDATE file_uploads SET expires_at = $2 WHERE id = $1", [
      u.id,
      u.expiresAt,
    ]);
    if ((renewed.rowCount ?? 0) > 0) return;
    await this.pool.query(
      `INSERT INTO file_uploads (id, entity, project, run_id, path, size, sha256, content_type, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [
        u.id,
        u.ref.entity,
        u.ref.project,
        u.ref.runId,
        u.path,
        u.size,
        u.sha256,
        u.contentType,
        u.createdAt,
        u.expiresAt,
      ],
    );
  }

  async delete(id: string): Promise<void> {
    await this.pool.query("DELETE FROM file_uploads WHERE id = $1", [id]);
  }

  async expiredBefore(before: number): Promise<StoredUpload[]> {
    const { rows } = await this.pool.query<UploadRow>(
      "SELECT * FROM file_uploads WHERE expires_at < $1 ORDER BY expires_at",
      [before],
    );
    return rows.map(uploadFromRow);
  }
}
