/**
 * `collectGarbageIn(dataDir)`: the one-shot garbage collection behind `stepwise server --gc`.
 * Frees the blobs no run file references (older than the grace period) and unfinished uploads
 * past their expiry, and the stored tables and thumbnails of the freed blobs, in the file store
 * the server uses (local files, or S3 with `blobs`) against the database it uses (SQLite under
 * the data directory, or PostgreSQL with `database`). Safe beside running servers: on SQLite,
 * recording a file and collecting a blob are each one write transaction
 * (blob/garbage-collector.ts), so they exclude each other across processes too; on PostgreSQL,
 * collecting a blob holds the blob's advisory lock (which recording a run file takes) and the
 * artifact blob lock exclusively (which every manifest write takes shared) while it checks for
 * references and deletes (store/postgres/pg-artifact-blobs.ts), so any number of servers may
 * record files and commit artifacts meanwhile.
 */
import { derivedFilesIn } from "./blob/derived-files.js";
import { collectGarbage, DEFAULT_GC_GRACE_S, type GcReport } from "./blob/garbage-collector.js";
import { openFileStore } from "./blob/open-file-store.js";
import type { S3Settings } from "./blob/s3-location.js";
import { sqliteDatabaseOf } from "./data-dir.js";
import { openSqliteStore } from "./store/sqlite/open-sqlite-store.js";
import type { Store } from "./store/store.js";

export type { GcReport } from "./blob/garbage-collector.js";
export { formatGcReport } from "./blob/garbage-collector.js";

export interface GcRunOptions {
  /** Blobs and uploads younger than this many seconds are kept. Default 3600. */
  graceS?: number;
  /** Where messages go (a migration of an old file layout); default nowhere. */
  log?: (line: string) => void;
  /** The S3 file store the server uses (`--blobs`, ServerConfig.blobs); default local files. */
  blobs?: S3Settings;
  /** The PostgreSQL store the server uses (`--database`, ServerConfig.database); default SQLite. */
  database?: string;
}

export async function collectGarbageIn(dataDir: string, options: GcRunOptions = {}): Promise<GcReport> {
  const store = await openStore(dataDir, options.database);
  try {
    const { blobs } = await openFileStore(dataDir, options.blobs, options.log ?? (() => undefined));
    try {
      return await collectGarbage(store, blobs, {
        now: Date.now() / 1000,
        graceS: options.graceS ?? DEFAULT_GC_GRACE_S,
        derived: derivedFilesIn(dataDir),
      });
    } finally {
      await blobs.close();
    }
  } finally {
    await store.close();
  }
}

async function openStore(dataDir: string, url: string | undefined): Promise<Store> {
  if (url !== undefined) {
    const { openPostgresStore } = await import("./store/postgres/open-postgres-store.js");
    // The collection makes one query at a time: two connections leave room for none other.
    return openPostgresStore(url, { poolSize: 2 });
  }
  return openSqliteStore(sqliteDatabaseOf(dataDir, "--gc"), { quickCheck: false });
}
