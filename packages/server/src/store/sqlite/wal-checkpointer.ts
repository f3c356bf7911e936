/**
 * Runs the store's WAL checkpoints on a worker thread (wal-checkpoint-worker.ts) instead of
 * inside ingest commits: with SQLite's auto-checkpoint doing them, checkpoints were about half
 * of the server's SQLite time in bench/ingest (docs/benchmarks.md). The writer connection keeps
 * its auto-checkpoint as a backstop (open-sqlite-store.ts), so a stalled or crashed thread only
 * brings back the old cost, never an unbounded WAL. A checkpoint never decides whether a commit
 * is durable (docs/storage.md), so none of this changes what an acknowledged batch survives.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { walCheckpointWorkerMain, type WalCheckpointData } from "./wal-checkpoint-worker.js";

const WORKER_SOURCE = `(${walCheckpointWorkerMain.toString()})()`;
/** Longest `stop()` waits for the thread to close its connection before terminating it. */
const STOP_WAIT_MS = 5000;

export interface WalCheckpointOptions {
  /** How often the thread looks at the WAL. Default 100 ms. */
  pollMs?: number;
  /**
   * Bytes of WAL frames not yet copied after which the thread checkpoints at once. Default
   * 16 MiB: a quarter of the writer's 64 MiB backstop, so the thread copies nearly every page.
   */
  growBytes?: number;
  /** Longest new commits wait for a checkpoint while the WAL does not grow. Default 1,000 ms. */
  maxDelayMs?: number;
  /** Idle time (no commit) after which the -wal file is truncated. Default 5,000 ms. */
  idleTruncateMs?: number;
}

export interface WalCheckpointer {
  /** Stops the thread and closes its connection; resolves once the thread has exited. */
  stop(): Promise<void>;
}

/**
 * Starts the checkpointer on `file`. The thread does not keep the process alive; if it fails,
 * `log` is told once and the writer's auto-checkpoint goes on alone.
 */
export function startWalCheckpointer(
  file: string,
  log: (line: string) => void,
  options: WalCheckpointOptions = {},
): WalCheckpointer {
  const workerData: WalCheckpointData = {
    file,
    sqliteModule: createRequire(import.meta.url).resolve("better-sqlite3"),
    pollMs: options.pollMs ?? 100,
    growBytes: options.growBytes ?? 16 * 1024 * 1024,
    maxDelayMs: options.maxDelayMs ?? 1000,
    idleTruncateMs: options.idleTruncateMs ?? 5000,
  };
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData,
    // An eval'd body is CommonJS: a process started with --input-type=module would stop it.
    execArgv: process.execArgv.filter((arg) => !arg.startsWith("--input-type")),
  });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.once("error", (error) => {
    log(`SQLite WAL checkpointer stopped (${error.message}); checkpoints go on inside commits`);
  });
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        worker.postMessage("stop");
        const timer = setTimeout(() => void worker.terminate(), STOP_WAIT_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
