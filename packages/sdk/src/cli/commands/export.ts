/**
 * `stepwise export <target>`: a run's history (JSON lines, CSV, or Parquet from a server),
 * summary, config or metadata, to stdout or atomically to a file. The target is a local run
 * directory (no server needed) or `entity/project/runId` on a server.
 */
import type { Writable } from "node:stream";
import { UsageError } from "@stepwise/protocol";
import { Api } from "../../api/api.js";
import { resolveRunLog } from "../../runlog/run-directory.js";
import type { ApiRun } from "../../api/api-run.js";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { AtomicFile } from "../output/atomic-file.js";
import { refuseBinaryOnTerminal } from "../output/binary-output.js";
import { LineSink } from "../output/line-sink.js";
import { ProgressLine } from "../output/progress-line.js";
import type { Command } from "./command.js";
import { COMMAND_SUMMARIES } from "./command-summaries.js";
import { EXPORT_HELP } from "./export/export-help.js";
import { parseExportArgs, type ExportOptions } from "./export/export-options.js";
import { classifyTarget, type ExportTarget } from "./export/export-target.js";
import { writeLocalExport } from "./export/local-export.js";
import { exportProject } from "./export/project-export.js";
import { copyServerRendering } from "./export/copy-rendering.js";
import { downloadParquet, writeServerExport } from "./export/server-export.js";
import type { ProgressFactory } from "./export/write-history.js";
import { count } from "../format/count.js";

export const exportCommand: Command = {
  name: "export",
  summary: COMMAND_SUMMARIES.export,
  run: runExport,
};

type Source = { kind: "local"; logFile: string } | { kind: "server"; run: ApiRun };

async function runExport(argv: string[], io: CliIo): Promise<number> {
  const options = parseExportArgs(argv);
  if (options === "help") {
    io.stdout.write(EXPORT_HELP);
    return ExitCode.ok;
  }
  const target = classifyTarget(options.target);
  if (target.kind === "project") return exportProject(target.projectPath, options, io);
  checkRunOptions(options);
  // Resolve before creating --out, so a wrong target leaves no file behind.
  const source = await openSource(target, options);
  refuseBinaryOnTerminal(options.format, options.out, io);
  const file = options.out === null ? null : new AtomicFile(options.out);
  const out = file?.stream ?? io.stdout;
  const sink = new LineSink(out);
  try {
    const written =
      source.kind === "server" && options.format === "parquet"
        ? await downloadParquet(options, source.run, out)
        : source.kind === "server" && copiesRendering(options)
          ? await copyRendering(options, source.run, out, sink, io)
          : await writeExport(options, source, sink, io);
    if (file) {
      await file.commit();
      io.stderr.write(`wrote ${written ?? `the ${options.what}`} to ${file.path}\n`);
    }
  } catch (error) {
    await file?.abort();
    throw error;
  } finally {
    sink.release();
  }
  return ExitCode.ok;
}

/** --filter, --combined and --jobs choose among a project's runs; one run has nothing to choose. */
function checkRunOptions(options: ExportOptions): void {
  const given = [
    options.filters.length > 0 ? "--filter" : null,
    options.combined ? "--combined" : null,
    options.jobs !== 4 ? "--jobs" : null,
    options.json ? "--json" : null,
  ].filter((name) => name !== null);
  if (given.length > 0)
    throw new UsageError(`${given.join(", ")} applies to a project target (entity/project), not to one run`);
}

async function openSource(
  target: Exclude<ExportTarget, { kind: "project" }>,
  options: ExportOptions,
): Promise<Source> {
  if (target.kind === "local") {
    if (options.format === "parquet")
      throw new UsageError(
        "--format parquet is available for server targets (entity/project/runId) only; " +
          "for a local run directory use --format csv or jsonl",
      );
    return { kind: "local", logFile: resolveRunLog(target.path).logFile };
  }
  const api = new Api({
    ...(options.baseUrl === null ? {} : { baseUrl: options.baseUrl }),
    ...(options.apiKey === null ? {} : { apiKey: options.apiKey }),
  });
  return { kind: "server", run: await api.run(target.runPath) };
}

/** History without --keys from a server: its own NDJSON or CSV, copied as it arrives. */
function copiesRendering(options: ExportOptions): options is ExportOptions & { format: "jsonl" | "csv" } {
  return options.what === "history" && options.keys === null && options.format !== "parquet";
}

async function copyRendering(
  options: ExportOptions & { format: "jsonl" | "csv" },
  run: ApiRun,
  out: Writable,
  sink: LineSink,
  io: CliIo,
): Promise<string> {
  const line = new ProgressLine(io.stderr, {
    enabled: progressEnabled(options, io),
    label: "exporting history",
    total: run.historyRows,
  });
  return count(await copyServerRendering(run, options.format, out, sink, line), "history row");
}

/**
 * Progress shares the terminal with data when stdout is that terminal: draw it only when the
 * data goes elsewhere (a pipe, a redirect, --out).
 */
function progressEnabled(options: ExportOptions, io: CliIo): boolean {
  return io.stderrIsTty && (options.out !== null || !io.stdoutIsTty);
}

/** Resolves to "N history rows" for a history export, or null for a single-object export. */
function writeExport(
  options: ExportOptions,
  source: Source,
  sink: LineSink,
  io: CliIo,
): Promise<string | null> {
  const enabled = progressEnabled(options, io);
  const progress: ProgressFactory = (label, total) => new ProgressLine(io.stderr, { enabled, label, total });
  return source.kind === "local"
    ? writeLocalExport(options, source.logFile, sink, io, progress)
    : writeServerExport(options, source.run, sink, progress, (line) => void io.stderr.write(`${line}\n`));
}
