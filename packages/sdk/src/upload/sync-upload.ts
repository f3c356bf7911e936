/**
 * One upload of a run directory for `stepwise sync` (sync-run-directory.ts): an upload session
 * over a snapshot of the finished log, with the run's file and artifact queues, and what it read
 * and sent.
 */
import type { RunRef, RunStartRecord } from "@stepwise/protocol";
import { ArtifactQueue, type ArtifactQueueStats } from "../artifacts/artifact-queue.js";
import { FileQueue, type FileQueueStats } from "./file-queue.js";
import type { ServerTarget } from "./ingest-client.js";
import { quarantinedOffsets } from "./quarantine.js";
import { SnapshotTail } from "./snapshot-tail.js";
import { readLog, type LogCounts } from "./sync-log.js";
import type { SyncFiles, SyncOptions } from "./sync-result.js";
import type { ContinuedRun } from "./sync-target.js";
import { UploadSession } from "./upload-session.js";
import type { UploadState } from "./upload-state.js";
import { resolveUploadTuning } from "./upload-tuning.js";

export interface Upload {
  outcome: Awaited<ReturnType<UploadSession["run"]>>;
  session: UploadSession;
  snapshot: SnapshotTail | null;
  sawExit: boolean;
  items: number;
  requests: number;
  files: FileQueueStats;
  artifacts: ArtifactQueueStats;
}

export async function uploadOnce(
  job: {
    dir: string;
    logFile: string;
    ref: RunRef;
    connection: ServerTarget;
    giveUpAfterMs: number;
    initialState: UploadState;
    options: SyncOptions;
    totalBytes: number;
    continues: ContinuedRun | undefined;
  },
  startRecord: RunStartRecord | null,
): Promise<Upload> {
  let snapshot: SnapshotTail | null = null;
  const tuning = resolveUploadTuning();
  const files = new FileQueue({
    runDir: job.dir,
    ref: job.ref,
    target: job.connection,
    tuning,
    mode: "sync",
    giveUpAfterMs: job.giveUpAfterMs,
    onWarning: (_cause, message) => job.options.onWarning?.(message),
  });
  const artifacts = new ArtifactQueue({
    runDir: job.dir,
    ref: job.ref,
    target: job.connection,
    giveUpAfterMs: job.giveUpAfterMs,
    onWarning: (_cause, message) => job.options.onWarning?.(message),
  });
  const session: UploadSession = new UploadSession({
    runDir: job.dir,
    logFile: job.logFile,
    ref: job.ref,
    target: job.connection,
    mode: "sync",
    tuning,
    files,
    artifacts,
    giveUpAfterMs: job.giveUpAfterMs,
    initialState: job.initialState,
    ...(job.continues ? { continues: job.continues } : {}),
    openLog: () => (snapshot = new SnapshotTail(job.logFile, startRecord)),
    events: {
      onWarning: (_cause, message) => job.options.onWarning?.(message),
      onAck: (state) =>
        job.options.onProgress?.({
          ackedBytes: state.logOffset,
          totalBytes: job.totalBytes,
          items: session.sentItems,
        }),
    },
  });
  const outcome = await session.run();
  const read = snapshot as SnapshotTail | null;
  return {
    outcome,
    session,
    snapshot: read,
    sawExit: read?.sawExit ?? false,
    items: session.sentItems,
    requests: session.requests,
    files: files.currentStats(),
    artifacts: artifacts.currentStats(),
  };
}

/** The log's counts from the upload's own read when it reached the end, else from a read of their own. */
export function logCounts(attempt: Upload, dir: string, logFile: string): LogCounts {
  const setAside = quarantinedOffsets(dir);
  const read = attempt.snapshot;
  if (read?.complete === true && setAside.size === 0)
    return { rows: read.rows, issues: read.issues, exit: attempt.sawExit, quarantinedRows: 0 };
  return readLog(logFile, setAside);
}

export function syncFiles(stats: FileQueueStats, bytesSent: number): SyncFiles {
  const { uploaded, unchanged, failed, firstFailure } = stats;
  return { uploaded, unchanged, failed, bytesSent, firstFailure };
}
