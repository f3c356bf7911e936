/**
 * What the run's thread and its upload worker share: the worker's start data, the messages
 * each side sends, and the slots of a shared Int32Array that `finish()` can wait on even when it
 * must block (at process exit no event loop runs, so messages would never arrive).
 */
import type { ArtifactVersionDto, ErrorCode, RunRef } from "@stepwise/protocol";
import type { ServerTarget } from "./ingest-client.js";
import type { UploadTuning } from "./upload-tuning.js";

export interface UploadWorkerData {
  runDir: string;
  logFile: string;
  ref: RunRef;
  target: ServerTarget;
  tuning: UploadTuning;
  control: SharedArrayBuffer;
  /** Float64 slots of FILE_STATS: the file queue's counts, for run.status() and finish()'s progress. */
  fileStats: SharedArrayBuffer;
}

/** Slots of the file queue's counts (file-queue.ts FileQueueStats), written by the worker. */
export const FILE_STATS = {
  seen: 0,
  pending: 1,
  bytesPending: 2,
  uploaded: 3,
  failed: 4,
  progressBytes: 5,
  /** Bytes of artifact content sent (artifacts/artifact-queue.ts). */
  artifactBytes: 6,
  size: 7,
} as const;

export const CONTROL = {
  /** 0 while uploading; then one of DONE. */
  done: 0,
  /** 0 unknown, 1 the server answers, 2 it does not. */
  reachable: 1,
  /** Batches the server has acknowledged (finish() waits while this moves). */
  acks: 2,
  size: 3,
} as const;

export const DONE = { running: 0, complete: 1, failed: 2, cancelled: 3, caughtUp: 4 } as const;

/** `logComplete: false`: the log lacks records its disk could not take; send what it has and stop. */
export type ToWorker = { type: "finish"; logComplete: boolean } | { type: "preempting" } | { type: "cancel" };

export type FromWorker =
  | { type: "warning"; cause: string; message: string }
  | { type: "reachable"; reachable: boolean; reason: string }
  | { type: "stop-requested" }
  /**
   * A logged artifact's record was committed (`version`; null with no `failure`: a distributed
   * upsert the server holds) or given up (`failure`, with the server's error `code` if any).
   */
  | {
      type: "artifact";
      id: string;
      version: ArtifactVersionDto | null;
      failure: string | null;
      code: ErrorCode | null;
    };
