/**
 * Run file records on PostgreSQL (resumable uploads: pg-upload-records.ts), keyed by the run's
 * names (a file may arrive before the run's first batch). `put` takes one advisory lock per blob
 * (sha256) inside its transaction, as collection does (pg-artifact-blobs.ts), so that recording
 * a file and collecting its blob take turns across servers, as the Store contract asks; a path
 * cannot be both a file and a folder of one run, and a run holds at most LIMITS.runFiles files
 * (a replacement always may).
 */
import type pg from "pg";
import { LIMITS, type RunRef } from "@stepwise/protocol";
import { folderPaths, pathConflict, tooManyRunFiles } from "../../domain/run-file-rules.js";
import type { StoredFile } from "../store.js";
import { transaction } from "./pg-database.js";

const FILE = 'path, size, sha256, content_type AS "contentType", updated_at AS "updatedAt"';
/** A transaction-scoped advisory lock on a text key: `blob:<sha256>` turns with collection. */
export const BLOB_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

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
