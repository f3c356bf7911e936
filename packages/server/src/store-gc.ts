/**
 * `collectGarbageIn(dataDir)`: the one-shot garbage collection behind `stepwise server --gc`.
 * Frees the blobs no run file references (older than the grace period) and unfinished uploads
 * past their expiry, and the stored tables and thumbnails of the freed blobs. Safe beside a running server on the same data directory: recording a file
 * and collecting a blob are each one SQLite write transaction (blob/garbage-collector.ts), so
 * they exclude each other across processes too.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { NotFoundError } from "@stepwise/protocol";
import { derivedFilesIn } from "./blob/derived-files.js";
import { collectGarbage, DEFAULT_GC_GRACE_S, type GcReport } from "./blob/garbage-collector.js";
import { openFileStore } from "./blob/open-file-store.js";
import type { S3Settings } from "./blob/s3-location.js";
import { DATABASE_FILE } from "./data-dir.js";
import { openSqliteStore } from "./store/sqlite/open-sqlite-store.js";

export type { GcReport } from "./blob/garbage-collector.js";
export { formatGcReport } from "./blob/garbage-collector.js";

export interface GcRunOptions {
  /** Blobs and uploads younger than this many seconds are kept. Default 3600. */
  graceS?: number;
  /** Where messages go (a migration of an old file layout); default nowhere. */
  log?: (line: string) => void;
  /** The S3 file store the server uses (`--blobs`, ServerConfig.blobs); default local files. */
  blobs?: S3Settings;
}

export async function collectGarbageIn(dataDir: string, options: GcRunOptions = {}): Promise<GcReport> {
  const database = join(dataDir, DATABASE_FILE);
  if (!existsSync(database))
    throw new NotFoundError(`no Stepwise database at ${database}; check the --data directory`);
  const store = await openSqliteStore(database, { quickCheck: false });
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
