/**
 * Resumable uploads in progress (table `file_uploads`, schema version 7): one row per (run,
 * path, size, sha256), so that declaring the same file again — after the client or the server
 * restarted — finds the same upload and its bytes. Expired rows are removed by garbage
 * collection together with their staged bytes.
 */
import type Database from "better-sqlite3";
import type { RunRef } from "@stepwise/protocol";
import type { StoredUpload } from "../store.js";
import { uploadFromRow, type UploadRow } from "../upload-rows.js";

export class UploadRecords {
  private readonly byContent: Database.Statement<[string, string, string, string, number, string], UploadRow>;
  private readonly byId: Database.Statement<[string], UploadRow>;
  private readonly upsert: Database.Statement<
    [string, string, string, string, string, number, string, string, number, number]
  >;
  private readonly remove: Database.Statement<[string]>;
  private readonly expired: Database.Statement<[number], UploadRow>;

  constructor(db: Database.Database) {
    this.byContent = db.prepare(
      `SELECT * FROM file_uploads
       WHERE entity = ? AND project = ? AND run_id = ? AND path = ? AND size = ? AND sha256 = ?`,
    );
    this.byId = db.prepare("SELECT * FROM file_uploads WHERE id = ?");
    this.upsert = db.prepare(
      `INSERT INTO file_uploads
         (id, entity, project, run_id, path, size, sha256, content_type, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at
       ON CONFLICT DO NOTHING`,
    );
    this.remove = db.prepare("DELETE FROM file_uploads WHERE id = ?");
    this.expired = db.prepare("SELECT * FROM file_uploads WHERE expires_at < ? ORDER BY expires_at");
  }

  find(ref: RunRef, path: string, size: number, sha256: string): StoredUpload | null {
    const row = this.byContent.get(ref.entity, ref.project, ref.runId, path, size, sha256);
    return row === undefined ? null : uploadFromRow(row);
  }

  get(id: string): StoredUpload | null {
    const row = this.byId.get(id);
    return row === undefined ? null : uploadFromRow(row);
  }

  /** Inserts, or renews the expiry of the same id; another upload of the same content stays (first wins). */
  save(u: StoredUpload): void {
    this.upsert.run(
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
    );
  }

  delete(id: string): void {
    this.remove.run(id);
  }

  expiredBefore(before: number): StoredUpload[] {
    return this.expired.all(before).map(uploadFromRow);
  }
}
