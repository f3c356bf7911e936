/**
 * The WAL checkpointer's thread body (started by wal-checkpointer.ts): its own better-sqlite3
 * connection to the store's file runs `wal_checkpoint(PASSIVE)` once `growBytes` of WAL frames
 * wait to be copied, or once `maxDelayMs` has passed with new commits, so the copy of WAL pages
 * into the database file and its two fsyncs happen here instead of inside an ingest commit on
 * the server's thread. The frames waiting are read from the wal-index header in the -shm file
 * (mxFrame at byte 16, nBackfill at byte 96, page size at byte 14, native byte order:
 * https://www.sqlite.org/walformat.html); the -wal file's size cannot show them, as the WAL is
 * reused from its start after a full checkpoint. Once the store has been idle a while it runs
 * one TRUNCATE, which empties the -wal file on disk.
 *
 * The function is serialised with `toString()` and started with `eval` (it runs the same from
 * sources and from the build), so it must not reference anything outside its own body:
 * everything comes from `require` and `workerData`.
 */
import type * as FileSystem from "node:fs";
import type * as OperatingSystem from "node:os";
import type * as Threads from "node:worker_threads";
import type BetterSqlite3 from "better-sqlite3";

export interface WalCheckpointData {
  /** The store's database file. */
  file: string;
  /** Resolved path of the better-sqlite3 module (an eval'd worker resolves from the cwd). */
  sqliteModule: string;
  /** How often the thread looks at the WAL. */
  pollMs: number;
  /** Bytes of WAL frames not yet copied that trigger a checkpoint at once. */
  growBytes: number;
  /** Longest time commits wait for a checkpoint when the WAL does not grow. */
  maxDelayMs: number;
  /** How long the store must see no commit before the WAL file is truncated. */
  idleTruncateMs: number;
}

export function walCheckpointWorkerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- eval'd CommonJS worker body */
  const fs = require("node:fs") as typeof FileSystem;
  const os = require("node:os") as typeof OperatingSystem;
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
  const header = Buffer.alloc(100);
  const shm = fs.openSync(`${data.file}-shm`, "r");
  const little = os.endianness() === "LE";
  /** Bytes of WAL frames committed but not yet copied into the database file. */
  const waiting = (): number => {
    if (fs.readSync(shm, header, 0, 100, 0) < 100) return 0;
    const u32 = (at: number): number => (little ? header.readUInt32LE(at) : header.readUInt32BE(at));
    const size = little ? header.readUInt16LE(14) : header.readUInt16BE(14);
    return Math.max(0, u32(16) - u32(96)) * (size === 1 ? 65536 : size);
  };
  let seen = version.get();
  let lastCommit = Date.now();
  let lastCheckpoint = Date.now();
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
    if (pending && (waiting() >= data.growBytes || now - lastCheckpoint >= data.maxDelayMs)) {
      db.pragma("wal_checkpoint(PASSIVE)");
      pending = false;
      lastCheckpoint = now;
    } else if (!truncated && now - lastCommit >= data.idleTruncateMs) {
      const [result] = db.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
      truncated = result?.busy === 0;
    }
  };
  const timer = setInterval(tick, data.pollMs);
  const port = threads.parentPort;
  port?.once("message", () => {
    clearInterval(timer);
    fs.closeSync(shm);
    db.close();
    port.close();
  });
}
