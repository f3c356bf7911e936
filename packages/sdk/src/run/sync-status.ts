/**
 * `run.status()`: how much of the run the server has, read from what the uploader keeps on disk
 * (`upload-state.json`, written after every acknowledged batch) against the size of the run's
 * record log. Bytes of the log, not rows: every record counts, history, config, summary and
 * exit alike, and the measure needs no replay of the log.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { artifactOutcome } from "../artifacts/artifact-queue.js";
import type { DiskReport } from "../runlog/disk-report.js";
import { FILE_HEADER_BYTES } from "../runlog/log-format.js";
import { readQuarantineSummary } from "../upload/quarantine.js";
import { readUploadState, UPLOAD_STATE_FILE } from "../upload/upload-state.js";
import type { Uploader } from "../upload/uploader.js";
import type { RunFiles } from "./run-files.js";

export interface RunSyncStatus {
  /** "online" uploads as it logs; "offline" keeps everything local for `stepwise sync`. */
  mode: "online" | "offline" | "disabled";
  /** Bytes of records the run has written to its log (after the file header). */
  loggedBytes: number;
  /** Of those, the bytes the server has acknowledged. */
  syncedBytes: number;
  /** loggedBytes − syncedBytes: what `finish()` or `stepwise sync` still has to send. */
  pendingBytes: number;
  /** When the server last acknowledged a batch; null before the first, and offline. */
  syncedAt: Date | null;
  /** Whether the server answered the last request; null before the first request, and offline. */
  reachable: boolean | null;
  /**
   * Records the server refused for good (an older or stricter server) and the uploader set
   * aside in `quarantine.jsonl` in the run directory, so the rest of the run still uploads.
   */
  quarantinedRecords: number;
  /** The first such refusal as the server worded it (`HTTP 400: …`); null when none. */
  quarantineReason: string | null;
  /**
   * Why the run log cannot be written now (`"ENOSPC"` for a full disk, `"EDQUOT"`, `"EIO"`,
   * `"EROFS"`, `"OTHER"`), null while it can. Records then wait in memory (up to 64 MiB).
   */
  diskProblem: DiskReport["problem"];
  /** History rows logged but never written to the run log, because its disk could not be written. */
  droppedRows: number;
  /** Other records (config, summary, metric, run updates, exit) never written for the same reason. */
  droppedRecords: number;
  /**
   * Run files (`run.save()`, config.json, summary.json, metadata.json, diff.patch) not on the
   * server yet: waiting for the end (`end` policy), queued, being hashed or sent, or a live file
   * changed since it was sent. Offline: every file the run recorded (`stepwise sync` sends them).
   */
  filesPending: number;
  /** Their bytes (a local file not hashed yet counts its size now). */
  fileBytesPending: number;
  /** Files the server holds (sent, or their content found there). */
  filesUploaded: number;
  /** Files given up (a local file removed before it was sent, a refusal); warned about once. */
  filesFailed: number;
  /** Logged artifacts not committed yet after a failure that may pass: `stepwise sync` commits them. */
  artifactsPending: number;
  /** Logged artifacts the server refused for good: the artifact's name and the server's words. */
  artifactsRefused: { name: string; message: string }[];
}

export type FileStatus = Pick<
  RunSyncStatus,
  "filesPending" | "fileBytesPending" | "filesUploaded" | "filesFailed"
>;

/**
 * The file counts: what the upload worker last published (at most 100 ms old) plus the files
 * recorded since that it has not read yet.
 */
export function fileStatus(files: RunFiles | null, uploader: Uploader | null): FileStatus {
  const worker = uploader?.files ?? null;
  const unseen = files?.unseen(worker?.seen ?? 0) ?? { files: 0, bytes: 0 };
  return {
    filesPending: (worker?.pending ?? 0) + unseen.files,
    fileBytesPending: (worker?.bytesPending ?? 0) + unseen.bytes,
    filesUploaded: worker?.uploaded ?? 0,
    filesFailed: worker?.failed ?? 0,
  };
}

export function readSyncStatus(options: {
  mode: RunSyncStatus["mode"];
  runDir: string;
  logFile: string | null;
  reachable: boolean | null;
  disk: DiskReport | null;
  files?: FileStatus;
}): RunSyncStatus {
  const { mode, runDir, logFile } = options;
  const { records: quarantinedRecords, firstReason: quarantineReason } = readQuarantineSummary(runDir);
  const logged = logFile === null ? 0 : Math.max(0, fileSize(logFile) - FILE_HEADER_BYTES);
  const disk = {
    diskProblem: options.disk?.problem ?? null,
    droppedRows: options.disk?.droppedRows ?? 0,
    droppedRecords: options.disk?.droppedRecords ?? 0,
    ...(options.files ?? { filesPending: 0, fileBytesPending: 0, filesUploaded: 0, filesFailed: 0 }),
    ...artifactStatus(runDir),
  };
  if (mode !== "online")
    return {
      mode,
      loggedBytes: logged,
      syncedBytes: 0,
      pendingBytes: logged,
      syncedAt: null,
      reachable: null,
      quarantinedRecords,
      quarantineReason,
      ...disk,
    };
  const state = readUploadState(runDir);
  const synced = Math.min(logged, Math.max(0, state.logOffset - FILE_HEADER_BYTES));
  const stateFile = join(runDir, UPLOAD_STATE_FILE);
  const syncedAt = synced > 0 ? new Date(statSync(stateFile, { throwIfNoEntry: false })?.mtimeMs ?? 0) : null;
  return {
    mode,
    loggedBytes: logged,
    syncedBytes: synced,
    pendingBytes: logged - synced,
    syncedAt,
    reachable: options.reachable,
    quarantinedRecords,
    quarantineReason,
    ...disk,
  };
}

/** artifact-state.json (written by the upload worker and by sync): what is pending or refused. */
function artifactStatus(runDir: string): Pick<RunSyncStatus, "artifactsPending" | "artifactsRefused"> {
  const { pending, refused } = artifactOutcome(runDir);
  return {
    artifactsPending: pending,
    artifactsRefused: refused.map(({ name, message }) => ({ name, message })),
  };
}

function fileSize(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}
