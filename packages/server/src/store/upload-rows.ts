/**
 * A resumable upload as both stores keep it (table `file_uploads`, the same columns on SQLite
 * and PostgreSQL), and the StoredUpload it is read back as.
 */
import type { StoredUpload } from "./store.js";

export interface UploadRow {
  id: string;
  entity: string;
  project: string;
  run_id: string;
  path: string;
  size: number;
  sha256: string;
  content_type: string;
  created_at: number;
  expires_at: number;
}

export function uploadFromRow(row: UploadRow): StoredUpload {
  return {
    id: row.id,
    ref: { entity: row.entity, project: row.project, runId: row.run_id },
    path: row.path,
    size: row.size,
    sha256: row.sha256,
    contentType: row.content_type,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
