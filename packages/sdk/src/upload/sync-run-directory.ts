/**
 * `stepwise sync` for one run directory: uploads what the server does not have yet, resuming
 * from `upload-state.json`, and marks the run synced. A run without an exit record (its process
 * died) is sent as it is: no exit code is invented, so the server keeps it `crashed`. A run
 * whose process is still alive on this host is left to that process.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { RunStartRecord } from "@stepwise/protocol";
import { NotFoundError } from "@stepwise/protocol";
import { resolveRunLog } from "../runlog/run-directory.js";
import { RunLogReader } from "../runlog/run-log-reader.js";
import { resolveApiConnection } from "../api/api-connection.js";
import { readQuarantineSummary } from "./quarantine.js";
import { UploadSession } from "./upload-session.js";
import { isSynced, markSynced } from "./upload-state.js";
import { resolveUploadTuning } from "./upload-tuning.js";
import { writerAlive } from "../runlog/writer-alive.js";

export interface SyncOptions {
  /** Default: STEPWISE_BASE_URL, then the credentials file of `stepwise login`, then http://127.0.0.1:8080. */
  baseUrl?: string;
  /** Default: STEPWISE_API_KEY, then the credentials file, then none. */
  apiKey?: string;
  /** Give up on a run after this long without reaching the server (default 30 s, STEPWISE_SYNC_GIVE_UP_S). */
  giveUpAfterMs?: number;
  /** After every acknowledged batch: bytes of the log acknowledged so far, of `totalBytes`. */
  onProgress?: (progress: {
    ackedBytes: number;
    totalBytes: number;
    items: number;
  }) => void;
  onWarning?: (message: string) => void;
}

export interface SyncResult {
  dir: string;
  /** `entity/project/id`, or null when the log holds no run record. */
  run: string | null;
  /** synced: everything is on the server now; already-synced: nothing was sent. */
  status: "synced" | "already-synced" | "running" | "failed";
  /** History rows and meta records sent. */
  items: number;
  requests: number;
  /** The run ended without an exit record (its process died). */
  crashed: boolean;
  message: string | null;
  /**
   * Records the server refused for good (an older or stricter server): set aside in
   * `quarantine.jsonl` in the run directory while the rest uploaded. `records` 0 when none;
   * `firstReason` the first refusal as the server worded it (`HTTP 400: …`).
   */
  quarantined?: { records: number; firstReason: string | null; file: string };
}

export async function syncRunDirectory(
  target: string,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const connection = resolveApiConnection({
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
  });
  const { dir, logFile } = resolveRunLog(target);
  const start = readStartRecord(logFile);
  const result: SyncResult = {
    dir,
    run: `${start.entity}/${start.project}/${start.id}`,
    status: "already-synced",
    items: 0,
    requests: 0,
    crashed: false,
    message: null,
    quarantined: readQuarantineSummary(dir),
  };
  if (isSynced(logFile)) return result;
  // files/summary.json is written last at finish: with it, the process is done with the run.
  const finished = existsSync(join(dir, "files", "summary.json"));
  if (!finished && writerAlive(start.host, start.pid))
    return {
      ...result,
      status: "running",
      message: `still running (pid ${start.pid}); its own uploader sends it`,
    };
  const totalBytes = statSync(logFile).size;
  const tuning = resolveUploadTuning();
  const session = new UploadSession({
    runDir: dir,
    logFile,
    ref: { entity: start.entity, project: start.project, runId: start.id },
    target: connection,
    mode: "sync",
    tuning,
    giveUpAfterMs: options.giveUpAfterMs ?? tuning.syncGiveUpMs,
    events: {
      onWarning: (_cause, message) => options.onWarning?.(message),
      onAck: (state) =>
        options.onProgress?.({
          ackedBytes: state.logOffset,
          totalBytes,
          items: session.sentItems,
        }),
    },
  });
  const outcome = await session.run();
  const sent = {
    items: session.sentItems,
    requests: session.requests,
    quarantined: session.quarantine,
  };
  if (outcome.kind === "failed" || outcome.kind === "cancelled")
    return {
      ...result,
      ...sent,
      status: "failed",
      message: outcome.kind === "failed" ? outcome.message : "cancelled",
    };
  if (outcome.kind === "caught-up") markSynced(logFile);
  const status = sent.requests === 0 ? "already-synced" : "synced";
  return { ...result, ...sent, status, crashed: outcome.kind === "caught-up" };
}

function readStartRecord(logFile: string): RunStartRecord {
  for (const { record } of new RunLogReader(logFile).records()) {
    if (record.t === "run") return record;
    break;
  }
  throw new NotFoundError(
    `${logFile} holds no run record; the run never started writing, so there is nothing to sync`,
  );
}
