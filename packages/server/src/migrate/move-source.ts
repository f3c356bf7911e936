/**
 * The data directory `stepwise migrate` copies from: its SQLite store, its local run files, and
 * the one thing the Store interface does not read back, the `meta` stream's lines (the run's
 * metadata records; the store applies them at ingest and keeps them for a later re-index), read
 * through a second, read-only connection. A server may keep running on the directory meanwhile
 * (WAL readers do not block it), but what it writes after a run was copied is copied only by
 * the next `stepwise migrate`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { NotFoundError, type RunRef } from "@stepwise/protocol";
import type { BlobStore } from "../blob/blob-store.js";
import { openLocalFileStore } from "../blob/local-file-store.js";
import { DATABASE_FILE } from "../data-dir.js";
import { openSqliteStore } from "../store/sqlite/open-sqlite-store.js";
import type { Store } from "../store/store.js";

export interface MoveSource {
  readonly dataDir: string;
  readonly store: Store;
  /** The run files' blobs under `<data>/files`. */
  readonly blobs: BlobStore;
  /** Up to `limit` lines of the run's meta stream from `offset`, in order. */
  metaLines(ref: RunRef, offset: number, limit: number): string[];
  /** The rows of a read-only SQLite query, each as its column values in order (artifact-tables.ts). */
  select(sql: string): IterableIterator<unknown[]>;
  close(): Promise<void>;
}

export async function openMoveSource(dataDir: string): Promise<MoveSource> {
  const path = join(dataDir, DATABASE_FILE);
  if (!existsSync(path))
    throw new NotFoundError(`no Stepwise database at ${path}; --from names a server's --data directory`);
  // Files first, opened as the server opens them: files of the layout before content-addressed
  // blobs are moved into it (legacy-file-layout.ts), as the source's own next start would.
  const { blobs } = await openLocalFileStore(dataDir, () => undefined);
  const store = await openSqliteStore(path).catch(async (error: unknown) => {
    await blobs.close();
    throw error;
  });
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const meta = db.prepare<[string, string, string, number, number], { body: string }>(
    `SELECT l.body FROM stream_lines l JOIN runs r ON r.pk = l.run_pk
     WHERE r.entity = ? AND r.project = ? AND r.run_id = ? AND l.stream = 'meta' AND l.line_index >= ?
     ORDER BY l.line_index LIMIT ?`,
  );
  return {
    dataDir,
    store,
    blobs,
    metaLines: (ref, offset, limit) =>
      meta.all(ref.entity, ref.project, ref.runId, offset, limit).map((row) => row.body),
    select: (sql) => db.prepare<[], unknown[]>(sql).raw().iterate(),
    close: async () => {
      db.close();
      await blobs.close();
      await store.close();
    },
  };
}
