/**
 * Run file records (the bytes live in the BlobStore): one row per (run, path), replaced on
 * re-upload. Keyed by the run's names rather than its row, so a file may arrive before the
 * run's first batch (W&B clients upload metadata files early).
 */
import type Database from "better-sqlite3";
import type { RunRef } from "@stepwise/protocol";
import type { StoredFile } from "../store.js";

interface FileRow {
  path: string;
  size: number;
  sha256: string;
  content_type: string;
  updated_at: number;
}

const COLUMNS = "path, size, sha256, content_type, updated_at";

export class FileRecords {
  private readonly upsert: Database.Statement<
    [string, string, string, string, number, string, string, number]
  >;
  private readonly list: Database.Statement<[string, string, string], FileRow>;
  private readonly one: Database.Statement<[string, string, string, string], FileRow>;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO run_files (entity, project, run_id, path, size, sha256, content_type, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (entity, project, run_id, path) DO UPDATE SET size = excluded.size,
         sha256 = excluded.sha256, content_type = excluded.content_type, updated_at = excluded.updated_at`,
    );
    this.list = db.prepare(
      `SELECT ${COLUMNS} FROM run_files WHERE entity = ? AND project = ? AND run_id = ? ORDER BY path`,
    );
    this.one = db.prepare(
      `SELECT ${COLUMNS} FROM run_files WHERE entity = ? AND project = ? AND run_id = ? AND path = ?`,
    );
  }

  put(ref: RunRef, file: StoredFile): void {
    this.upsert.run(
      ref.entity,
      ref.project,
      ref.runId,
      file.path,
      file.size,
      file.sha256,
      file.contentType,
      file.updatedAt,
    );
  }

  all(ref: RunRef): StoredFile[] {
    return this.list.all(ref.entity, ref.project, ref.runId).map(fileFromRow);
  }

  get(ref: RunRef, path: string): StoredFile | null {
    const row = this.one.get(ref.entity, ref.project, ref.runId, path);
    return row ? fileFromRow(row) : null;
  }
}

function fileFromRow(row: FileRow): StoredFile {
  return {
    path: row.path,
    size: row.size,
    sha256: row.sha256,
    contentType: row.content_type,
    updatedAt: row.updated_at,
  };
}
