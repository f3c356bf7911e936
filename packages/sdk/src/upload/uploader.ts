/**
 * The run's handle on its upload worker: starts it, forwards `markPreempting()`, and at finish
 * waits for the upload to drain — asynchronously from `finish()`, blocking from the exit path —
 * up to the finish timeout. What is left stays in the run directory for `stepwise sync`, and the
 * user is told how to send it.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { RunRef } from "@stepwise/protocol";
import type { Terminal } from "../console/terminal.js";
import { RunLogReader } from "../runlog/run-log-reader.js";
import type { ServerTarget } from "./ingest-client.js";
import { readUploadState } from "./upload-state.js";
import type { UploadTuning } from "./upload-tuning.js";
import {
  CONTROL,
  DONE,
  type FromWorker,
  type ToWorker,
  type UploadWorkerData,
} from "./upload-worker-protocol.js";

/** While the server refuses connections at finish, stop waiting after this long (a restart fits in it). */
const UNREACHABLE_GRACE_MS = 10_000;
const WAIT_SLICE_MS = 100;

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
  private finished = false;
  private stopRequested = false;

  constructor(private readonly options: UploaderOptions) {
    const memory = new SharedArrayBuffer(CONTROL.size * 4);
    this.control = new Int32Array(memory);
    const workerData: UploadWorkerData = {
      runDir: options.runDir,
      logFile: options.logFile,
      ref: options.ref,
      target: options.target,
      tuning: options.tuning,
      control: memory,
    };
    this.worker = new Worker(uploadWorkerUrl(), { workerData });
    this.worker.unref();
    this.worker.on("message", (message: FromWorker) => this.onMessage(message));
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

  markPreempting(): void {
    this.post({ type: "preempting" });
  }

  /** Waits for the upload to drain, without blocking the event loop. */
  async finish(timeoutMs: number): Promise<void> {
    if (this.beginFinish()) return;
    this.worker.ref();
    try {
      const started = Date.now();
      while (!this.settled(started, timeoutMs)) {
        const waiting = Atomics.waitAsync(this.control, CONTROL.done, DONE.running, WAIT_SLICE_MS);
        if (waiting.async) await waiting.value;
      }
    } finally {
      this.worker.unref();
    }
    this.report();
  }

  /** Like `finish` for the exit path, where nothing asynchronous runs any more. */
  finishSync(timeoutMs: number): void {
    if (this.beginFinish()) return;
    const started = Date.now();
    while (!this.settled(started, timeoutMs))
      Atomics.wait(this.control, CONTROL.done, DONE.running, WAIT_SLICE_MS);
    this.report();
  }

  private beginFinish(): boolean {
    if (this.finished) return true;
    this.finished = true;
    this.post({ type: "finish" });
    return false;
  }

  private settled(started: number, timeoutMs: number): boolean {
    if (Atomics.load(this.control, CONTROL.done) !== DONE.running) return true;
    const waited = Date.now() - started;
    if (waited >= timeoutMs) return true;
    return (
      Atomics.load(this.control, CONTROL.reachable) === 2 &&
      waited >= Math.min(timeoutMs, UNREACHABLE_GRACE_MS)
    );
  }

  private report(): void {
    const done = Atomics.load(this.control, CONTROL.done);
    if (done === DONE.complete) return;
    this.post({ type: "cancel" });
    const { runDir, logFile, terminal } = this.options;
    const pending = countRecordsAfter(logFile, readUploadState(runDir).logOffset);
    if (pending === 0) return;
    const why =
      Atomics.load(this.control, CONTROL.reachable) === 2
        ? `the server at ${this.options.target.baseUrl} is not reachable; `
        : "";
    terminal.essential(`${why}${pending} records not uploaded yet; run \`npx stepwise sync ${runDir}\``);
  }

  private onMessage(message: FromWorker): void {
    const terminal = this.options.terminal;
    if (message.type === "warning") terminal.warnOnce(message.cause, message.message);
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
