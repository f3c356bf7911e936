/**
 * Run file records and resumable uploads on PostgreSQL, keyed by the run's names (a file may
 * arrive before the run's first batch). `put` and `collect` take one advisory lock per blob
 * (sha256) inside their transaction, so that recording a file and collecting its blob take
 * turns across servers, as the Store contract asks; a path cannot be both a file and a folder of
 * one run, and a run holds at most LIMITS.runFiles files (a replacement always may).
 */
import type pg from "pg";
import { LIMITS, type RunRef } from "@stepwise/protocol";
import { folderPaths, pathConflict, tooManyRunFiles } from "../../domain/run-file-rules.js";
import type { StoredFile, StoredUpload } from "../store.js";
import { transaction } from "./pg-database.js";

const FILE = 'path, size, sha256, content_type AS "contentType", updated_at AS "updatedAt"';
const BLOB_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

export class PgFileRecords {
  constructor(
    private readonly pool: pg.Pool,
    /** Files one run may hold (LIMITS.runFiles; lower in tests). */
    private readonly maxFiles: number = LIMITS.runFiles,
  ) {}

  put(ref: RunRef, file: StoredFile, whileLocked?: () => void): Promise<void> {
    return transaction(this.pool, async (client) => {
      await client.query(BLOB_LOCK, [`blob:${file.sha256}`]);
      // One record per (run, path) at a time, also for two servers recording the same path.
      await client.query(BLOB_LOCK, [JSON.stringify(["file", ref.entity, ref.project, ref.runId])]);
      await this.checkPath(client, ref, file.path);
      whileLocked?.();
      await this.countNew(client, ref, file.path);
      await client.query(
        `INSERT INTO run_files (entity, project, run_id, path, size, sha256, content_type, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (entity, project, run_id, path) DO UPDATE SET size = excluded.size,
           sha256 = excluded.sha256, content_type = excluded.content_type, updated_at = excluded.updated_at`,
        [
          ref.entity,
          ref.project,
          ref.runId,
          file.path,
          file.size,
          file.sha256,
          file.contentType,
          file.updatedAt,
        ],
      );
    });
  }

  async all(ref: RunRef): Promise<StoredFile[]> {
    const { rows } = await this.pool.query<StoredFile>(
      `SELECT ${FILE} FROM run_files WHERE entity = $1 AND project = $2 AND run_id = $3 ORDER BY path`,
      [ref.entity, ref.project, ref.runId],
    );
    return rows;
  }

  async get(ref: RunRef, path: string): Promise<StoredFile | null> {
    const { rows } = await this.pool.query<StoredFile>(
      `SELECT ${FILE} FROM run_files WHERE entity = $1 AND project = $2 AND run_id = $3 AND path = $4`,
      [ref.entity, ref.project, ref.runId, path],
    );
    return rows[0] ?? null;
  }

  async isReferenced(sha256: string, db: pg.Pool | pg.PoolClient = this.pool): Promise<boolean> {
    const { rows } = await db.query("SELECT 1 FROM run_files WHERE sha256 = $1 LIMIT 1", [sha256]);
    return rows.length > 0;
  }

  collect(sha256: string, remove: () => boolean): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      await client.query(BLOB_LOCK, [`blob:${sha256}`]);
      return (await this.isReferenced(sha256, client)) ? false : remove();
    });
  }

  /** Counts a path the run does not hold yet; throws INVALID_DATA past the run's limit. */
  private async countNew(client: pg.PoolClient, ref: RunRef, path: string): Promise<void> {
    const key = [ref.entity, ref.project, ref.runId];
    const held = await client.query(
      "SELECT 1 FROM run_files WHERE entity = $1 AND project = $2 AND run_id = $3 AND path = $4",
      [...key, path],
    );
    if (held.rows.length > 0) return;
    const { rows } = await client.query<{ files: number }>(
      `INSERT INTO run_file_counts (entity, project, run_id, files) VALUES ($1, $2, $3, 1)
       ON CONFLICT (entity, project, run_id) DO UPDATE SET files = run_file_counts.files + 1 RETURNING files`,
      key,
    );
    const files = rows[0]?.files ?? 0;
    if (files > this.maxFiles) throw tooManyRunFiles(ref, path, files - 1);
  }

  /** Throws PathConflictError when a folder of `path` is a file of the run, or `path` is a folder of its files. */
  private async checkPath(client: pg.PoolClient, ref: RunRef, path: string): Promise<void> {
    const folders = folderPaths(path);
    const { rows } = await client.query<{ path: string }>(
      `(SELECT path FROM run_files WHERE entity = $1 AND project = $2 AND run_id = $3 AND path = ANY($4::text[])
        ORDER BY length(path) LIMIT 1)
       UNION ALL
       (SELECT path FROM run_files WHERE entity = $1 AND project = $2 AND run_id = $3 AND path > $5 AND path < $6
        ORDER BY path LIMIT 1)`,
      [ref.entity, ref.project, ref.runId, folders, `${path}/`, `${path}0`],
    );
    const found = rows[0]?.path;
    if (found === undefined) return;
    throw pathConflict(path, found);
  }
}

interface UploadRow {
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

export class PgUploadRecords {
  constructor(private readonly pool: pg.Pool) {}

  async find(ref: RunRef, path: string, size: number, sha256: string): Promise<StoredUpload | null> {
    const { rows } = await this.pool.query<UploadRow>(
      `SELECT * FROM file_uploads WHERE entity = $1 AND project = $2 AND run_id = $3 AND path = $4
         AND size = $5 AND sha256 = $6`,
      [ref.entity, ref.project, ref.runId, path, size, sha256],
    );
    return rows[0] ? upload(rows[0]) : null;
  }

  async get(id: string): Promise<StoredUpload | null> {
    const { rows } = await this.pool.query<UploadRow>("SELECT * FROM file_uploads WHERE id = $1", [id]);
    return rows[0] ? upload(rows[0]) : null;
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
    return rows.map(upload);
  }
}

function upload(row: UploadRow): StoredUpload {
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
