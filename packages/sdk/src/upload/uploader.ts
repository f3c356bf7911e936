/**
 * The run's handle on its upload worker: starts it, forwards `markPreempting()`, and at finish
 * waits for the upload to drain — asynchronously from `finish()`, blocking from the exit path.
 * It waits as long as the server keeps acknowledging batches and gives up only after the finish
 * timeout passes with none acknowledged (a restarting or overloaded server needs 16–32 s; a
 * fixed deadline left most runs of a busy server unsynced). What is left stays in the run
 * directory for `stepwise sync`, and the user is told how to send it.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ArtifactVersionDto, ErrorCode, RunRef } from "@stepwise/protocol";
import type { Terminal } from "../console/terminal.js";
import { RunLogReader } from "../runlog/run-log-reader.js";
import type { ServerTarget } from "./ingest-client.js";
import { readUploadState } from "./upload-state.js";
import type { UploadTuning } from "./upload-tuning.js";
import {
  CONTROL,
  DONE,
  FILE_STATS,
  type FromWorker,
  type ToWorker,
  type UploadWorkerData,
} from "./upload-worker-protocol.js";
import { workerExecArgv } from "../runlog/worker-exec-argv.js";

const WAIT_SLICE_MS = 100;
/**
 * A run whose server never acknowledged anything (none is running: the common offline-by-accident
 * case) does not hold its process for the whole finish timeout: it gives up after this long.
 */
const NEVER_REACHED_GRACE_MS = 10_000;

export interface UploaderOptions {
  runDir: string;
  logFile: string;
  ref: RunRef;
  target: ServerTarget;
  tuning: UploadTuning;
  terminal: Terminal;
  /** Called once when the server says the run was asked to stop. */
  onStop: () => void;
}

export class Uploader {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly fileStats: Float64Array;
  /** File bytes sent plus files uploaded at the last progress (finish() waits while this moves). */
  private fileProgressSeen = 0;
  private finished = false;
  /** Told when a logged artifact is committed (its version) or given up (why, the server's code): run-artifacts.ts. */
  onArtifact:
    | ((
        id: string,
        version: ArtifactVersionDto | null,
        failure: string | null,
        code: ErrorCode | null,
      ) => void)
    | null = null;
  private stopRequested = false;
  /** Acknowledged batches seen at the last progress, and when. */
  private acksSeen = 0;
  private progressAt = 0;

  constructor(private readonly options: UploaderOptions) {
    const memory = new SharedArrayBuffer(CONTROL.size * 4);
    this.control = new Int32Array(memory);
    const fileMemory = new SharedArrayBuffer(FILE_STATS.size * 8);
    this.fileStats = new Float64Array(fileMemory);
    const workerData: UploadWorkerData = {
      runDir: options.runDir,
      logFile: options.logFile,
      ref: options.ref,
      target: options.target,
      tuning: options.tuning,
      control: memory,
      fileStats: fileMemory,
    };
    this.worker = new Worker(uploadWorkerUrl(), { workerData, execArgv: workerExecArgv() });
    this.worker.unref();
    this.worker.on("message", (message: FromWorker) => this.onMessage(message));
    // A worker whose event loop ran dry while a request was still pending ends without an
    // error: finish() must not wait for it, and what it did not send is left for sync.
    this.worker.on("exit", (code) => {
      if (Atomics.load(this.control, CONTROL.done) !== DONE.running) return;
      options.terminal.warnOnce("upload-error", `the upload stopped unexpectedly (worker exit ${code})`);
      Atomics.store(this.control, CONTROL.done, DONE.failed);
      Atomics.notify(this.control, CONTROL.done);
    });
    this.worker.on("error", (error) => {
      options.terminal.warnOnce("upload-error", `the upload stopped: ${String(error)}`);
      Atomics.store(this.control, CONTROL.done, DONE.failed);
    });
  }

  /** Whether the server answered the last request; null before the first. */
  get reachable(): boolean | null {
    const value = Atomics.load(this.control, CONTROL.reachable);
    return value === 0 ? null : value === 1;
  }

  /** The file queue's counts as the worker last published them (at most 100 ms old). */
  get files(): { seen: number; pending: number; bytesPending: number; uploaded: number; failed: number } {
    const stats = this.fileStats;
    return {
      seen: stats[FILE_STATS.seen] ?? 0,
      pending: stats[FILE_STATS.pending] ?? 0,
      bytesPending: stats[FILE_STATS.bytesPending] ?? 0,
      uploaded: stats[FILE_STATS.uploaded] ?? 0,
      failed: stats[FILE_STATS.failed] ?? 0,
    };
  }

  markPreempting(): void {
    this.post({ type: "preempting" });
  }

  /**
   * Waits for the upload to drain, without blocking the event loop, until `stallMs` pass with
   * no batch acknowledged. `logComplete: false`: the log lacks its exit record (a full disk).
   */
  async finish(stallMs: number, logComplete = true): Promise<void> {
    if (this.beginFinish(logComplete)) return;
    this.worker.ref();
    try {
      while (!this.settled(stallMs)) {
        const waiting = Atomics.waitAsync(this.control, CONTROL.done, DONE.running, WAIT_SLICE_MS);
        if (waiting.async) await waiting.value;
      }
    } finally {
      this.worker.unref();
    }
    this.report();
  }

  /** Like `finish` for the exit path, where nothing asynchronous runs any more. */
  finishSync(stallMs: number, logComplete = true): void {
    if (this.beginFinish(logComplete)) return;
    while (!this.settled(stallMs)) Atomics.wait(this.control, CONTROL.done, DONE.running, WAIT_SLICE_MS);
    this.report();
  }

  private beginFinish(logComplete: boolean): boolean {
    if (this.finished) return true;
    this.finished = true;
    this.acksSeen = Atomics.load(this.control, CONTROL.acks);
    this.fileProgressSeen = this.fileProgress();
    this.progressAt = Date.now();
    this.post({ type: "finish", logComplete });
    return false;
  }

  /**
   * Done, or `stallMs` without progress: an acknowledged batch or file bytes sent (10 s when the
   * server never answered). A large file keeps finish() waiting for as long as its bytes flow.
   */
  private settled(stallMs: number): boolean {
    if (Atomics.load(this.control, CONTROL.done) !== DONE.running) return true;
    const acks = Atomics.load(this.control, CONTROL.acks);
    const fileProgress = this.fileProgress();
    const now = Date.now();
    if (acks !== this.acksSeen || fileProgress !== this.fileProgressSeen) {
      this.acksSeen = acks;
      this.fileProgressSeen = fileProgress;
      this.progressAt = now;
    }
    const neverReached = acks === 0 && Atomics.load(this.control, CONTROL.reachable) === 2;
    return now - this.progressAt >= (neverReached ? Math.min(stallMs, NEVER_REACHED_GRACE_MS) : stallMs);
  }

  private report(): void {
    const done = Atomics.load(this.control, CONTROL.done);
    if (done === DONE.complete) return;
    this.post({ type: "cancel" });
    const { runDir, logFile, terminal } = this.options;
    const records = countRecordsAfter(logFile, readUploadState(runDir).logOffset);
    const files = this.files;
    if (records === 0 && files.pending === 0) return;
    const what = [
      ...(files.pending > 0 ? [`${files.pending} files (${formatBytes(files.bytesPending)})`] : []),
      ...(records > 0 ? [`${records} records`] : []),
    ].join(" and ");
    const why =
      Atomics.load(this.control, CONTROL.reachable) === 2
        ? `the server at ${this.options.target.baseUrl} is not reachable; `
        : `the server at ${this.options.target.baseUrl} acknowledged nothing for ${Math.round((Date.now() - this.progressAt) / 1000)} s; `;
    terminal.essential(
      `${why}${what} not uploaded yet; run \`npx stepwise sync ${runDir}\` once the server is back (they are kept on local disk)`,
    );
  }

  private fileProgress(): number {
    const stats = this.fileStats;
    const files = (stats[FILE_STATS.progressBytes] ?? 0) + (stats[FILE_STATS.uploaded] ?? 0);
    return files + (stats[FILE_STATS.artifactBytes] ?? 0);
  }

  private onMessage(message: FromWorker): void {
    const terminal = this.options.terminal;
    if (message.type === "warning") terminal.warnOnce(message.cause, message.message);
    else if (message.type === "artifact")
      this.onArtifact?.(message.id, message.version, message.failure, message.code);
    else if (message.type === "stop-requested") {
      if (this.stopRequested || this.finished) return;
      this.stopRequested = true;
      terminal.essential("the run was stopped from the server (UI or API); stopping");
      this.options.onStop();
    } else if (!message.reachable)
      terminal.warnOnce(
        "unreachable",
        `server not reachable at ${this.options.target.baseUrl} (${message.reason}); logging locally and retrying in the background`,
      );
  }

  private post(message: ToWorker): void {
    try {
      this.worker.postMessage(message);
    } catch {
      // the worker has already ended
    }
  }
}

/**
 * The worker runs compiled JavaScript: next to this module in the build. Under vitest the SDK
 * runs from its TypeScript sources, where no .js file sits next to this one and a worker thread
 * cannot load .ts, so it falls back to the package's build (`npm test` builds before vitest).
 */
function uploadWorkerUrl(): URL {
  const beside = new URL("./upload-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL("../../dist/upload/upload-worker.js", import.meta.url);
}

function countRecordsAfter(logFile: string, offset: number): number {
  let count = 0;
  try {
    for (const entry of new RunLogReader(logFile, { fromOffset: offset }).records()) {
      void entry;
      count++;
    }
  } catch {
    // an unreadable log leaves nothing countable
  }
  return count;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
