/**
 * `stepwise sync` for one run directory: uploads what the server does not have yet, and marks
 * the run synced to that server only when the server has acknowledged every row the log holds.
 *
 * The log is read with the run log reader, as `stepwise export <run-dir>` reads it, so sync
 * uploads exactly the rows export recovers; the result says how many rows the log gave back,
 * how many of them the server has, and how many damage cost. Sync state belongs to a (run
 * directory, server) pair: the server is asked who it is (its instance id) and what it holds of
 * the run, and `upload-state.json` is trusted only when it was written for that server and the
 * server still holds what it records; otherwise the log is sent again from the start and the
 * server skips what it has. So a run synced to one server uploads in full to another, and to a
 * server restored from an older backup.
 *
 * A run without an exit record (its process died) is sent as it is: no exit code is invented,
 * so the server keeps it `crashed`. A run whose process is still alive on this host is left to
 * that process.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { StreamOffsets } from "@stepwise/protocol";
import { STREAMS } from "@stepwise/protocol";
import { resolveRunLog } from "../runlog/run-directory.js";
import { resolveApiConnection } from "../api/api-connection.js";
import { writerAlive } from "../runlog/writer-alive.js";
import { readQuarantineSummary } from "./quarantine.js";
import type { ArtifactQueueStats } from "../artifacts/artifact-queue.js";
import { viewServer, type ServerView } from "./server-view.js";
import { readServerState, saveServerState } from "./server-states.js";
import { describeRows, readStartRecord, syncRows, type LogCounts, type SyncRows } from "./sync-log.js";
import type { SyncOptions, SyncResult } from "./sync-result.js";
import { chooseSyncTarget, readSyncTarget, type ContinuedRun } from "./sync-target.js";
import { logCounts, syncFiles, uploadOnce, type Upload } from "./sync-upload.js";
import {
  initialUploadState,
  markSynced,
  readUploadState,
  unmarkSynced,
  type UploadState,
} from "./upload-state.js";
import { resolveUploadTuning } from "./upload-tuning.js";

export type { SyncRows } from "./sync-log.js";
export type { SyncFiles, SyncOptions, SyncResult } from "./sync-result.js";

export async function syncRunDirectory(target: string, options: SyncOptions = {}): Promise<SyncResult> {
  const first = await syncOnce(target, options);
  const conflict = first.conflict;
  if (conflict === null || conflict.choice === undefined) return first.result;
  // The server refused the run id: upload as the user chose, once.
  chooseSyncTarget({ ...conflict, choice: conflict.choice });
  const { onConflict: _chosen, ...once } = options;
  return (await syncOnce(target, once)).result;
}

interface Conflict {
  dir: string;
  /** The run id the server refused. */
  runId: string;
  /** What to do about it: the option, or the directory's earlier choice when it must be made again. */
  choice: "resume" | "new-id" | undefined;
  view: ServerView;
}

async function syncOnce(
  target: string,
  options: SyncOptions,
): Promise<{ result: SyncResult; conflict: Conflict | null }> {
  const connection = resolveApiConnection({
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
  });
  const { dir, logFile } = resolveRunLog(target);
  const { start, fromMetadata } = readStartRecord(dir, logFile);
  const chosen = readSyncTarget(dir);
  const ref = { entity: start.entity, project: start.project, runId: chosen?.runId ?? start.id };
  const result: SyncResult = {
    dir,
    run: `${ref.entity}/${ref.project}/${ref.runId}`,
    status: "already-synced",
    items: 0,
    requests: 0,
    crashed: false,
    message: null,
    rows: null,
    damage: [],
    serverId: null,
    quarantined: readQuarantineSummary(dir),
    files: null,
  };
  // files/summary.json is written last at finish: with it, the process is done with the run.
  const finished = existsSync(join(dir, "files", "summary.json"));
  if (!finished && writerAlive(start.host, start.pid))
    return withoutConflict({
      ...result,
      status: "running",
      message: `still running (pid ${start.pid}); its own uploader sends it`,
    });
  const tuning = resolveUploadTuning();
  const giveUpAfterMs = options.giveUpAfterMs ?? tuning.syncGiveUpMs;
  const seen = await viewServer(connection, ref, giveUpAfterMs);
  if (!seen.ok) return withoutConflict({ ...result, status: "failed", message: seen.message });
  const continues: ContinuedRun | undefined =
    chosen?.mode === "resume"
      ? { stepShift: chosen.stepShift, summary: seen.view.run?.summary ?? {} }
      : undefined;
  const { serverId } = seen.view;
  const totalBytes = statSync(logFile).size;
  const upload = (initialState: UploadState): Promise<Upload> =>
    uploadOnce(
      { dir, logFile, ref, connection, giveUpAfterMs, initialState, options, totalBytes, continues },
      fromMetadata ? start : null,
    );
  const round = async (state: UploadState): Promise<Round> => {
    const attempt = await upload(state);
    const failed = attempt.outcome.kind === "failed" || attempt.outcome.kind === "cancelled";
    // What the server holds now, asked after the upload (the acknowledged state can lag behind
    // rows the server already had).
    const after = failed ? null : await viewServer(connection, ref, giveUpAfterMs);
    const log = logCounts(attempt, dir, logFile);
    const acknowledged = attempt.session.acknowledged;
    const serverRows =
      after?.ok === true ? (after.view.run?.offsets.history ?? 0) : acknowledged.offsets.history;
    // Quarantined rows are numbered as if never logged: the server's count leaves them out.
    const rows = syncRows(log.rows, serverRows - acknowledged.base.history + log.quarantinedRows);
    const view = after?.ok === true ? after.view : null;
    const lacking =
      view !== null && ((attempt.sawExit && view.run?.exitCode === null) || rows.uploaded < rows.recovered);
    return { attempt, log, rows, view, lacking };
  };
  let done = await round(stateFor(dir, logFile, seen.view));
  let { items, requests } = done.attempt;
  let bytesSent = done.attempt.files.bytesSent;
  if (done.lacking && done.view !== null) {
    // The server lacks what it acknowledged (restored from an older backup): read the log
    // again from its start; the server skips the rows it has.
    done = await round(freshState(dir, logFile, done.view));
    items += done.attempt.items;
    requests += done.attempt.requests;
    bytesSent += done.attempt.files.bytesSent;
  }
  const { attempt, log, rows, view } = done;
  const { outcome, session } = attempt;
  const quarantine = session.quarantine;
  const files = syncFiles(attempt.files, bytesSent);
  const sent = {
    files,
    artifacts: attempt.artifacts,
    items,
    requests,
    rows,
    damage: log.issues.slice(0, 20),
    serverId,
    crashed: !log.exit,
    quarantined: quarantine,
  };
  if (outcome.kind === "failed" && outcome.code === "WRITER_CONFLICT") {
    unmarkSynced(logFile, serverId);
    // A resume claim goes stale when the stored run moved on before anything of it was stored.
    const stale = chosen?.mode === "resume" && requests > 0 && items === 0;
    return {
      result: { ...result, ...sent, status: "conflict", message: outcome.message },
      conflict: {
        dir,
        runId: ref.runId,
        choice: options.onConflict ?? (stale ? "resume" : undefined),
        view: seen.view,
      },
    };
  }
  if (outcome.kind === "failed" || outcome.kind === "cancelled") {
    unmarkSynced(logFile, serverId);
    const why = outcome.kind === "failed" ? outcome.message : "cancelled";
    return withoutConflict({
      ...result,
      ...sent,
      status: "failed",
      message: `${why}; ${describeRows(rows)}`,
    });
  }
  if (rows.uploaded < rows.recovered) {
    unmarkSynced(logFile, serverId);
    const missing = rows.recovered - rows.uploaded;
    return withoutConflict({
      ...result,
      ...sent,
      status: "failed",
      message: `${missing} readable rows are not on the server; ${describeRows(rows)}`,
    });
  }
  markSynced(logFile, serverId);
  // The server's own counts: a later sync to a copy of this server restored from an older
  // backup sees that it holds fewer.
  const offsets = view?.run ? { ...view.run.offsets } : session.acknowledged.offsets;
  saveServerState(dir, { ...session.acknowledged, offsets, serverId });
  const damaged = log.issues.some((issue) => issue.kind !== "torn-tail") || rows.unreadable > 0;
  const artifactProblem = describeArtifactFailures(attempt.artifacts);
  if (attempt.artifacts.pending > 0) unmarkSynced(logFile, serverId);
  if (artifactProblem !== null)
    return withoutConflict({ ...result, ...sent, status: "failed", message: artifactProblem });
  if (files.failed > 0) {
    // Left unsynced: a later `stepwise sync` (no arguments) tries the files again.
    unmarkSynced(logFile, serverId);
    return withoutConflict({
      ...result,
      ...sent,
      status: "failed",
      message: `${files.failed} file${files.failed === 1 ? "" : "s"} not uploaded (${files.firstFailure ?? "unknown error"}); ${describeRows(rows)}`,
    });
  }
  return withoutConflict({
    ...result,
    ...sent,
    status:
      sent.requests === 0 && files.uploaded === 0 && attempt.artifacts.committed === 0
        ? "already-synced"
        : "synced",
    message: damaged ? `the run log is damaged: ${describeRows(rows)}` : null,
  });
}

/** Refused artifacts (named, with the server's words) and those left pending; null when none. */
function describeArtifactFailures(stats: ArtifactQueueStats): string | null {
  const parts = stats.refused.map((r) => `artifact ${r.name} was refused by the server: ${r.message}`);
  if (stats.pending > 0)
    parts.push(
      `${stats.pending} artifact${stats.pending === 1 ? "" : "s"} not committed yet (${stats.firstFailure ?? "no answer"}); run sync again`,
    );
  return parts.length === 0 ? null : parts.join("; ");
}

function withoutConflict(result: SyncResult): { result: SyncResult; conflict: null } {
  return { result, conflict: null };
}

/**
 * Where the upload starts: the saved state when it was written for this server and the server
 * still holds all it records; otherwise the server's own counts, with the log read again from
 * its first record (the server skips what it has).
 */
function stateFor(dir: string, logFile: string, view: ServerView): UploadState {
  const saved = readServerState(dir, view.serverId);
  const server = view.run?.offsets ?? null;
  if (saved !== null && server !== null && covers(server, saved.offsets)) return saved;
  return freshState(dir, logFile, view);
}

function freshState(dir: string, logFile: string, view: ServerView): UploadState {
  unmarkSynced(logFile, view.serverId);
  const fresh = initialUploadState(readUploadState(dir).base, view.serverId);
  return view.run === null ? fresh : { ...fresh, offsets: { ...view.run.offsets } };
}

interface Round {
  attempt: Upload;
  log: LogCounts;
  rows: SyncRows;
  /** The server after the upload; null when it was not asked or did not answer. */
  view: ServerView | null;
  /** The server lacks rows or the exit of the log: worth one more upload from the log's start. */
  lacking: boolean;
}

function covers(server: StreamOffsets, acked: StreamOffsets): boolean {
  return STREAMS.every((stream) => server[stream] >= acked[stream]);
}
