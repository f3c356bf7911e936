/**
 * Entry point of a live run's upload worker thread. It follows the run log that the writer
 * worker appends to and uploads it, on its own event loop: training code that never yields
 * (a tight synchronous loop) does not stop uploads or heartbeats.
 */
import { parentPort, workerData } from "node:worker_threads";
import { ArtifactQueue } from "../artifacts/artifact-queue.js";
import { FileQueue } from "./file-queue.js";
import { UploadSession } from "./upload-session.js";
import type { UploadOutcome } from "./upload-session-options.js";
import {
  CONTROL,
  DONE,
  FILE_STATS,
  type FromWorker,
  type ToWorker,
  type UploadWorkerData,
} from "./upload-worker-protocol.js";
import { yieldToTraining } from "../runlog/background-thread.js";

const data = workerData as UploadWorkerData;
yieldToTraining();
const control = new Int32Array(data.control);
const port = parentPort;
const post = (message: FromWorker): void => port?.postMessage(message);

const fileStats = new Float64Array(data.fileStats);
const warn = (cause: string, message: string): void => post({ type: "warning", cause, message });
const files = new FileQueue({
  runDir: data.runDir,
  ref: data.ref,
  target: data.target,
  tuning: data.tuning,
  mode: "live",
  onWarning: warn,
  onStats: (stats) => {
    for (const slot of ["seen", "pending", "bytesPending", "failed", "progressBytes"] as const)
      fileStats[FILE_STATS[slot]] = stats[slot];
    // Files the server holds, whether sent now or found there from an earlier upload.
    fileStats[FILE_STATS.uploaded] = stats.uploaded + stats.unchanged;
  },
});

const artifacts = new ArtifactQueue({
  runDir: data.runDir,
  ref: data.ref,
  target: data.target,
  onWarning: warn,
  onCommitted: (id, version) => post({ type: "artifact", id, version, failure: null, code: null }),
  onFailed: (id, failure, code) => post({ type: "artifact", id, version: null, failure, code }),
  onProgress: (bytes) => {
    fileStats[FILE_STATS.artifactBytes] = (fileStats[FILE_STATS.artifactBytes] ?? 0) + bytes;
  },
});

const session = new UploadSession({
  runDir: data.runDir,
  logFile: data.logFile,
  ref: data.ref,
  target: data.target,
  mode: "live",
  tuning: data.tuning,
  files,
  artifacts,
  events: {
    onReachable: (reachable, reason) => {
      Atomics.store(control, CONTROL.reachable, reachable ? 1 : 2);
      post({ type: "reachable", reachable, reason });
    },
    onWarning: warn,
    onAck: () => {
      Atomics.add(control, CONTROL.acks, 1);
      Atomics.notify(control, CONTROL.done);
    },
    onStopRequested: () => post({ type: "stop-requested" }),
  },
});

port?.on("message", (message: ToWorker) => {
  if (message.type === "finish") session.finish(message.logComplete);
  else if (message.type === "preempting") session.markPreempting();
  else session.cancel();
});

let outcome: UploadOutcome;
try {
  outcome = await session.run();
} catch (error) {
  post({ type: "warning", cause: "upload-error", message: `the upload stopped: ${String(error)}` });
  outcome = { kind: "failed", message: String(error) };
}
// Stops watching live files and saves file-state.json, whatever way the upload ended.
files.cancel();
const codes = {
  complete: DONE.complete,
  failed: DONE.failed,
  cancelled: DONE.cancelled,
  "caught-up": DONE.caughtUp,
};
Atomics.store(control, CONTROL.done, codes[outcome.kind]);
Atomics.notify(control, CONTROL.done);
port?.close();
