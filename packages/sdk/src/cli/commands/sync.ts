/**
 * `stepwise sync [run-dir...]`: uploads offline and partly uploaded runs, 4 at a time, each
 * resuming where its last upload stopped; prints one line (or, with --json, one JSON object)
 * per run with the rows recovered from its log, on the server and unreadable, and exits 1 when
 * any run failed, that is, when the server lacks any row the run's log gives back.
 */
import { UsageError } from "@stepwise/protocol";
import { syncRunDirectory, type SyncResult } from "../../upload/sync-run-directory.js";
import { resolveApiConnection } from "../../api/api-connection.js";
import { serverIdOf } from "../../upload/server-view.js";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import type { Command } from "./command.js";
import { COMMAND_SUMMARIES } from "./command-summaries.js";
import { SYNC_HELP } from "./sync/sync-help.js";
import { parseSyncArgs, type SyncCommandOptions } from "./sync/sync-options.js";
import { SyncProgress } from "./sync/sync-progress.js";
import { unsyncedRunDirs } from "./sync/unsynced-run-dirs.js";

/** Runs uploaded at once: enough to overlap round trips, few enough not to swamp the server. */
const PARALLEL_RUNS = 4;

export const syncCommand: Command = {
  name: "sync",
  summary: COMMAND_SUMMARIES.sync,
  run: runSync,
};

async function runSync(argv: string[], io: CliIo): Promise<number> {
  const options = parseSyncArgs(argv);
  if (options === "help") {
    io.stdout.write(SYNC_HELP);
    return ExitCode.ok;
  }
  const root = process.env["STEPWISE_DIR"] || process.cwd();
  const targets =
    options.targets.length > 0
      ? options.targets
      : unsyncedRunDirs(root, await targetServerId(options), options.all);
  if (targets.length === 0) {
    if (options.targets.length === 0) io.stderr.write(`nothing to sync under ${root}/stepwise\n`);
    return ExitCode.ok;
  }
  const progress = new SyncProgress(io.stderr, io.stderrIsTty && !options.json, targets.length);
  const results = await pool(targets, PARALLEL_RUNS, (target) => syncOne(target, options, progress, io));
  progress.clear();
  if (results.some((result) => result.status === "failed")) return ExitCode.unexpected;
  return results.some((result) => result.status === "conflict") ? ExitCode.writerConflict : ExitCode.ok;
}

/** The instance id of the server runs go to, so that runs synced to another server are taken too. */
async function targetServerId(options: SyncCommandOptions): Promise<string | null> {
  const connection = resolveApiConnection({
    ...(options.baseUrl !== null ? { baseUrl: options.baseUrl } : {}),
    ...(options.apiKey !== null ? { apiKey: options.apiKey } : {}),
  });
  return serverIdOf(connection);
}

async function syncOne(
  target: string,
  options: SyncCommandOptions,
  progress: SyncProgress,
  io: CliIo,
): Promise<SyncResult> {
  let result: SyncResult;
  try {
    result = await syncRunDirectory(target, {
      ...(options.baseUrl !== null ? { baseUrl: options.baseUrl } : {}),
      ...(options.apiKey !== null ? { apiKey: options.apiKey } : {}),
      ...(options.onConflict !== null ? { onConflict: options.onConflict } : {}),
      onProgress: ({ ackedBytes, totalBytes }) =>
        progress.update(target, ackedBytes / Math.max(totalBytes, 1)),
      onWarning: (message) => {
        progress.clear();
        io.stderr.write(`stepwise: WARNING ${message}\n`);
      },
    });
  } catch (error) {
    // A bad base URL is the user's to fix for every run: stop with a usage error.
    if (error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    result = {
      dir: target,
      run: null,
      status: "failed",
      items: 0,
      requests: 0,
      crashed: false,
      message,
      rows: null,
      damage: [],
      serverId: null,
      quarantined: null,
      files: null,
    };
  }
  progress.finished(target);
  progress.clear();
  for (const issue of result.damage)
    if (issue.kind !== "torn-tail")
      io.stderr.write(
        `stepwise: WARNING ${result.dir}: run log damaged at byte ${issue.offset} (${issue.bytes} bytes): ${issue.message}\n`,
      );
  if (options.json) io.stdout.write(JSON.stringify(result) + "\n");
  else io.stdout.write(describe(result) + "\n");
  return result;
}

function describe(result: SyncResult): string {
  const run = result.run ?? result.dir;
  const notes = [
    ...(result.rows ? [rowCounts(result.rows)] : []),
    ...(result.files !== null && result.status !== "failed" ? fileCounts(result.files) : []),
    ...(result.crashed ? ["the run had crashed"] : []),
    ...(result.quarantined !== null && result.quarantined.records > 0
      ? [`${result.quarantined.records} records the server refused set aside in ${result.quarantined.file}`]
      : []),
    ...(result.message !== null && result.status !== "failed" ? [result.message] : []),
  ];
  const detail = notes.length > 0 ? ` (${notes.join("; ")})` : "";
  switch (result.status) {
    case "synced":
      return `synced ${result.dir} → ${run}: ${result.items} items sent${detail}`;
    case "already-synced":
      return `up to date ${result.dir} → ${run}${detail}`;
    case "running":
      return `skipped ${result.dir}: ${result.message ?? "still running"}`;
    case "failed":
      return `failed ${result.dir}: ${result.message ?? "unknown error"}`;
    case "conflict":
      return `refused ${result.dir} → ${run}: ${result.message ?? "the run id is taken"}`;
  }
}

/** `3 files uploaded (1.2 MiB sent)`, `2 files failed`; nothing when the run has no files to send. */
function fileCounts(files: NonNullable<SyncResult["files"]>): string[] {
  const notes: string[] = [];
  if (files.uploaded > 0)
    notes.push(
      `${files.uploaded} file${files.uploaded === 1 ? "" : "s"} uploaded (${formatBytes(files.bytesSent)} sent)`,
    );
  if (files.failed > 0) notes.push(`${files.failed} file${files.failed === 1 ? "" : "s"} failed`);
  return notes;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function rowCounts(rows: NonNullable<SyncResult["rows"]>): string {
  const lost =
    rows.unreadable === 0 && rows.unreadableExact
      ? ""
      : `, ${rows.unreadableExact ? "" : "at least "}${rows.unreadable} unreadable`;
  return `${rows.recovered} rows recovered, ${rows.uploaded} on the server${lost}`;
}

/** Maps `items` through `work` with at most `limit` in flight; results keep the input order. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
