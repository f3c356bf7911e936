/**
 * What an upload session is given (upload-session.ts), what it reports while it runs, and how it
 * ends.
 */
import type { RunRef } from "@stepwise/protocol";
import type { ArtifactQueue } from "../artifacts/artifact-queue.js";
import type { FileQueue } from "./file-queue.js";
import type { ServerTarget } from "./ingest-client.js";
import type { LogSource } from "./log-tail.js";
import type { ContinuedRun } from "./sync-target.js";
import type { UploadState } from "./upload-state.js";
import type { UploadTuning } from "./upload-tuning.js";

export interface UploadSessionOptions {
  runDir: string;
  logFile: string;
  ref: RunRef;
  target: ServerTarget;
  mode: "live" | "sync";
  tuning: UploadTuning;
  /** sync only: give up after this long without reaching the server (default: never). */
  giveUpAfterMs?: number;
  events?: UploadEvents;
  /** Start from this state instead of `upload-state.json` (sync: what this server really has). */
  initialState?: UploadState;
  /** Where to read records (sync: the finished log through the run log reader); default: the live tail. */
  openLog?: () => LogSource;
  /** sync --resume: append the log to the stored run (sync-target.ts). */
  continues?: ContinuedRun;
  /**
   * Where the log's `file` records go (they never travel in a batch). The session ends once the
   * queue has sent them too, and marks the run synced only then.
   */
  files?: FileQueue;
  /** Where the log's `artifact` records go (artifact-queue.ts); drained with the files. */
  artifacts?: ArtifactQueue;
}

export interface UploadEvents {
  /** Called when the server stops or starts answering. */
  onReachable?(reachable: boolean, reason: string): void;
  onWarning?(cause: string, message: string): void;
  /** After every acknowledged batch. */
  onAck?(state: UploadState, items: number): void;
  onStopRequested?(): void;
}

export type UploadOutcome =
  | { kind: "complete" }
  | { kind: "caught-up" }
  /** `code`: the server's error code when it refused the upload (e.g. WRITER_CONFLICT). */
  | { kind: "failed"; message: string; code?: string }
  | { kind: "cancelled" };
