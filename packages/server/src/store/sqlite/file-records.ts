/**
 * Run file records (the bytes live in the BlobStore, keyed by the record's sha256): one row per
 * (run, path), replaced on re-upload. Keyed by the run's names rather than its row, so a file
 * may arrive before the run's first batch (W&B clients upload metadata files early). A path
 * cannot be both a file and a folder of one run (`a` and `a/b`): the files are downloaded into
 * folders by `restore` and `files get`, where the two cannot coexist.
 */
import type Database from "better-sqlite3";
import { LIMITS, type RunRef } from "@stepwise/protocol";
import { folderPaths, pathConflict, tooManyRunFiles } from "../../domain/run-file-rules.js";
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
  private readonly fileAt: Database.Statement<[string, string, string, string], { path: string }>;
  private readonly fileUnder: Database.Statement<[string, string, string, string, string], { path: string }>;
  private readonly referenced: Database.Statement<[string, string, string, string], { one: number }>;
  private readonly count: Database.Statement<[string, string, string], { files: number }>;
  private readonly addOne: Database.Statement<[string, string, string]>;

  /** `maxFiles`: files one run may hold (LIMITS.runFiles; lower in tests). */
  constructor(
    db: Database.Database,
    private readonly maxFiles: number = LIMITS.runFiles,
  ) {
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
    // A stored file at one of the path's folders; stored files under the path as a folder
    // ('/' + 1 is '0', so the range holds exactly the paths that start with `path/`). Two
    // queries, so that each is an index lookup (an OR of the two scans the run's files).
    this.fileAt = db.prepare(
      `SELECT path FROM run_files WHERE entity = ? AND project = ? AND run_id = ?
         AND path IN (SELECT value FROM json_each(?)) ORDER BY length(path) LIMIT 1`,
    );
    this.fileUnder = db.prepare(
      `SELECT path FROM run_files WHERE entity = ? AND project = ? AND run_id = ? AND path > ? AND path < ?
       ORDER BY path LIMIT 1`,
    );
    // A blob is referenced by a run file, by an entry of a live (not deleted) artifact
    // version's manifest, by an entry of a distributed artifact not finished yet, or by a file
    // a W&B client uploaded for an artifact it has not committed yet.
    this.referenced = db.prepare(
      `SELECT 1 AS one FROM run_files WHERE sha256 = ?
       UNION ALL SELECT 1 FROM artifact_entries e WHERE e.sha256 = ?
         AND NOT EXISTS (SELECT 1 FROM artifact_deleted_versions d WHERE d.version_pk = e.version_pk)
       UNION ALL SELECT 1 FROM artifact_pending_entries p WHERE p.sha256 = ?
       UNION ALL SELECT 1 FROM wandb_pending_files w WHERE w.sha256 = ? LIMIT 1`,
    );
    this.count = db.prepare(
      "SELECT files FROM run_file_counts WHERE entity = ? AND project = ? AND run_id = ?",
    );
    this.addOne = db.prepare(
      `INSERT INTO run_file_counts (entity, project, run_id, files) VALUES (?, ?, ?, 1)
       ON CONFLICT (entity, project, run_id) DO UPDATE SET files = files + 1`,
    );
  }

  /** Throws PathConflictError when `path` cannot be stored beside the run's files. */
  checkPath(ref: RunRef, path: string): void {
    const folders = folderPaths(path);
    const found =
      this.fileAt.get(ref.entity, ref.project, ref.runId, JSON.stringify(folders)) ??
      this.fileUnder.get(ref.entity, ref.project, ref.runId, `${path}/`, `${path}0`);
    if (found !== undefined) throw pathConflict(path, found.path);
  }

  /**
   * Throws PathConflictError when `file.path` cannot be stored beside the run's files, and
   * INVALID_DATA when it would be a file past the run's limit (a replacement always may).
   */
  put(ref: RunRef, file: StoredFile): void {
    this.checkPath(ref, file.path);
    if (this.get(ref, file.path) === null) {
      const held = this.count.get(ref.entity, ref.project, ref.runId)?.files ?? 0;
      if (held >= this.maxFiles) throw tooManyRunFiles(ref, file.path, held);
      this.addOne.run(ref.entity, ref.project, ref.runId);
    }
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

  isReferenced(sha256: string): boolean {
    return this.referenced.get(sha256, sha256, sha256, sha256) !== undefined;
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
