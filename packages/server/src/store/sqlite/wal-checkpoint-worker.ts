/**
 * The WAL checkpointer's thread body (started by wal-checkpointer.ts): its own better-sqlite3
 * connection to the store's file runs `wal_checkpoint(PASSIVE)` once the -wal file has grown by
 * `growBytes` since its last checkpoint, or once `maxDelayMs` has passed with new commits (the
 * WAL is reused from its start after a full checkpoint, so its size alone does not show them),
 * so the copy of WAL pages into the database file and its two fsyncs happen here instead of
 * inside an ingest commit on the server's thread. Once the store has been idle a while it runs
 * one TRUNCATE, which empties the -wal file on disk.
 *
 * The function is serialised with `toString()` and started with `eval` (it runs the same from
 * sources and from the build), so it must not reference anything outside its own body:
 * everything comes from `require` and `workerData`.
 */
import type * as FileSystem from "node:fs";
import type * as Threads from "node:worker_threads";
import type BetterSqlite3 from "better-sqlite3";

export interface WalCheckpointData {
  /** The store's database file. */
  file: string;
  /** Resolved path of the better-sqlite3 module (an eval'd worker resolves from the cwd). */
  sqliteModule: string;
  /** How often the thread looks at the WAL. */
  pollMs: number;
  /** WAL growth that triggers a checkpoint at once. */
  growBytes: number;
  /** Longest time commits wait for a checkpoint when the WAL does not grow. */
  maxDelayMs: number;
  /** How long the store must see no commit before the WAL file is truncated. */
  idleTruncateMs: number;
}

export function walCheckpointWorkerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- eval'd CommonJS worker body */
  const fs = require("node:fs") as typeof FileSystem;
  const threads = require("node:worker_threads") as typeof Threads;
  const data = threads.workerData as WalCheckpointData;
  const Database = require(data.sqliteModule) as typeof BetterSqlite3;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const db = new Database(data.file, { fileMustExist: true });
  // A checkpoint syncs the WAL before copying and the database file after, as the writer's own
  // did: the same synchronous level as the writer connection (open-sqlite-store.ts).
  db.pragma("synchronous = NORMAL");
  // Never wait for a lock: PASSIVE takes none that a writer holds, and an idle TRUNCATE that
  // finds a writer gives up and is tried again on a later tick.
  db.pragma("busy_timeout = 0");
  const version = db.prepare<[], number>("PRAGMA data_version").pluck();
  const walSize = (): number => fs.statSync(`${data.file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  let seen = version.get();
  let lastCommit = Date.now();
  let lastCheckpoint = Date.now();
  let sizeAtCheckpoint = walSize();
  let pending = false;
  let truncated = false;
  const tick = (): void => {
    const now = Date.now();
    const current = version.get();
    if (current !== seen) {
      seen = current;
      lastCommit = now;
      pending = true;
      truncated = false;
    }
    const size = walSize();
    if (pending && (size - sizeAtCheckpoint >= data.growBytes || now - lastCheckpoint >= data.maxDelayMs)) {
      db.pragma("wal_checkpoint(PASSIVE)");
      pending = false;
      lastCheckpoint = now;
      sizeAtCheckpoint = walSize();
    } else if (!truncated && now - lastCommit >= data.idleTruncateMs) {
      const [result] = db.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
      truncated = result?.busy === 0;
      if (truncated) sizeAtCheckpoint = 0;
    }
  };
  const timer = setInterval(tick, data.pollMs);
  const port = threads.parentPort;
  port?.once("message", () => {
    clearInterval(timer);
    db.close();
    port.close();
  });
}
