/**
 * Opens the embedded SQLite store: one database file in WAL mode with synchronous=NORMAL
 * (a commit survives a process crash; a power cut may lose the last commits, never corrupts)
 * and a busy timeout for readers in other processes; the schema is migrated at open. A full
 * disk is reported as StorageFullError (HTTP 503), at open and on every write. A damaged file
 * stops the open with a StoreCorruptError naming it and the fix (open-check.ts). WAL checkpoints
 * run on a worker thread with its own connection (wal-checkpointer.ts), stopped at close.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Store } from "../store.js";
import { openFailure, quickCheck } from "./open-check.js";
import { migrate } from "./schema.js";
import { settle } from "./settle.js";
import { SqliteStore } from "./sqlite-store.js";
import { sqliteStorageFull } from "./sqlite-storage-errors.js";
import { startWalCheckpointer, type WalCheckpointer, type WalCheckpointOptions } from "./wal-checkpointer.js";

export interface SqliteStoreOptions {
  /** How long a statement waits for another connection's lock before failing. Default 5,000 ms. */
  busyTimeoutMs?: number;
  /**
   * Run SQLite's quick_check at open and refuse a damaged file (open-check.ts). Default true;
   * about 1 s per GiB of database.
   */
  quickCheck?: boolean;
  /** The background WAL checkpointer's timing (wal-checkpointer.ts); defaults there. */
  checkpoint?: WalCheckpointOptions;
  /** Where a failure of the checkpointer thread is reported, once. Default stderr. */
  log?: (line: string) => void;
}

/** The SQLite store with its checkpointer thread, which `close()` stops before the connection. */
class CheckpointedSqliteStore extends SqliteStore {
  private readonly checkpointer: WalCheckpointer;

  constructor(db: Database.Database, start: () => WalCheckpointer) {
    super(db);
    this.checkpointer = start();
  }

  override async close(): Promise<void> {
    // First the thread's connection: the last connection to close checkpoints and deletes the
    // -wal file, as before the thread existed.
    await this.checkpointer.stop();
    await super.close();
  }
}

/** Opens (creating if needed) the SQLite store at `path` and brings its schema up to date. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<Store> {
  return settle(() => {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      // Checkpoints run on the checkpointer thread; this one, inside a commit once the WAL holds
      // 64 MiB (16,384 pages of 4 KiB), is only the backstop that bounds the WAL if the thread
      // stalls or dies: 64 MiB, not SQLite's 4 MiB, which made ingest ~30% slower. The thread
      // checkpoints every 16 MiB of WAL, so when this fires it finds at most ~16 MiB to copy.
      db.pragma("wal_autocheckpoint = 16384");
      db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      db.pragma("foreign_keys = ON");
      if (options.quickCheck !== false) quickCheck(db, path);
      migrate(db, Date.now() / 1000);
      if (path === ":memory:") return new SqliteStore(db);
      const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
      return new CheckpointedSqliteStore(db, () => startWalCheckpointer(path, log, options.checkpoint));
    } catch (error) {
      db.close();
      throw sqliteStorageFull(error, path) ?? openFailure(error, path);
    }
  });
}
