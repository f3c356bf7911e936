/**
 * Builds a Run from resolved settings: the run directory, its record log (first record: who
 * the run is), config, summary, exit hooks, and the header lines. Disabled runs touch neither
 * disk nor network.
 */
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { rmSync, writeFileSync } from "node:fs";
import { stringifyExtended, type RunStartRecord } from "@stepwise/protocol";
import { configView, RunConfig } from "../config/run-config.js";
import { Terminal } from "../console/terminal.js";
import { findGitCommit } from "../identity/git-commit.js";
import { generateLocalRunName } from "../identity/run-name.js";
import { finishOnExit } from "../lifecycle/exit-hooks.js";
import { diskProblemWarning, droppedSummary, droppedSummaryCause } from "../runlog/disk-report.js";
import { isDiskFull, runDirectoryFullError } from "../runlog/local-disk-error.js";
import { runLogFileName } from "../runlog/log-format.js";
import { createRunDirectory } from "../runlog/run-directory.js";
import { RunLogWriter, type RunLogWriterOptions } from "../runlog/run-log-writer.js";
import { mediaSettled, withMediaJson } from "../media/pending-media.js";
import type { ResumeDecision } from "../resume/resolve-resume.js";
import type { ResolvedSettings } from "../settings/resolve-settings.js";
import { RunSummary, summaryView } from "../summary/run-summary.js";
import { SummaryEngine } from "../summary/summary-engine.js";
import { initialUploadState, writeUploadState } from "../upload/upload-state.js";
import { resolveUploadTuning } from "../upload/upload-tuning.js";
import { Uploader } from "../upload/uploader.js";
import { SDK_VERSION } from "../version.js";
import { resumedSettings } from "./resumed-settings.js";
import { RunFiles } from "./run-files.js";
import { Run } from "./run.js";
import { startSurroundings, type RunSurroundings } from "./run-surroundings.js";
import { newWriterId } from "../identity/writer-id.js";

/** `resume` comes from resolveResume(): the run id and, when resuming, the stored run. */
export function createRun(
  initial: ResolvedSettings,
  onFinished: () => void,
  resume: ResumeDecision,
  terminal: Terminal = newTerminal(initial),
): Run {
  const settings = resumedSettings(initial, resume);
  const disabled = settings.mode === "disabled";
  const id = resume.id;
  const startingStep = resume.resumed?.lastStep == null ? 0 : Math.floor(resume.resumed.lastStep) + 1;

  /** Filled once the Run exists; config and summary callbacks refer to it. */
  const self: { run?: Run } = {};
  let writer: RunLogWriter | null = null;
  let uploader: Uploader | null = null;
  let files: RunFiles | null = null;
  let surroundings: RunSurroundings | null = null;
  const config = new RunConfig((update) => {
    self.run?.checkActive("config.update");
    writer?.append({ t: "config", update });
  });
  config.update(settings.config, { allowValChange: true });
  const engine = new SummaryEngine({
    onMetric: (record) => writer?.append(record),
    onWarning: (message) => terminal.warnOnce(message, message),
  });
  const summary = summaryView(
    new RunSummary(
      engine,
      (ops) => writer?.append({ t: "summary", ops }),
      (method) => self.run?.checkActive(method),
    ),
  );

  const started = new Date();
  let dir = join(tmpdir(), "stepwise-disabled");
  let name = settings.name ?? `dummy-${id}`;
  if (!disabled) {
    dir = makeRunDirectory(settings.rootDir, id, started, terminal);
    name = settings.name ?? generateLocalRunName(join(dir, ".."), settings.project);
    const logFile = join(dir, runLogFileName(id));
    const start = startRecord(settings, id, name, started, config.toJSON(), startingStep, resume);
    writer = startRunLog(dir, logFile, settings.diskHoldBytes, terminal, {
      // Class labels of masks and boxes, kept once per run in config._wandb as W&B does.
      setConfig: (path, value) => config.update(nestedValue(path, value), { allowValChange: true }),
      warn: (cause, message) => terminal.warnOnce(cause, message),
      fileRecorded: (bytes) => files?.noteRecorded(bytes),
    });
    writer.append(start);
    try {
      writeFileSync(join(dir, "files", "metadata.json"), JSON.stringify(start, null, 2) + "\n");
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      writer.closeSync(1000);
      rmSync(dir, { recursive: true, force: true });
      throw runDirectoryFullError(dir, error);
    }
    // The old summary comes back as explicit values (W&B §1.10), logged so that uploads replay it.
    if (resume.resumed) summary.update(restorableSummary(resume.resumed.summary));
    // config.json, summary.json, metadata.json and diff.patch go to the server as run files.
    files = new RunFiles(writer, {
      config: () => JSON.stringify(config.toJSON(), null, 2) + "\n",
      // Media values as their JSON; a periodic check skips while some are still being written
      // (null), so the training thread never waits for the media threads here; `final` waits.
      summary: (final) => {
        const summary = engine.toJSON();
        return final || mediaSettled(summary) ? stringifyExtended(withMediaJson(summary)) + "\n" : null;
      },
    });
    files.start(dir, started);
    if (settings.mode === "online") {
      // A resumed run's items continue the server's streams: number them from its counts.
      if (resume.resumed) writeUploadState(dir, initialUploadState(resume.resumed.offsets));
      uploader = new Uploader({
        runDir: dir,
        logFile,
        ref: { entity: settings.entity, project: settings.project, runId: id },
        target: { baseUrl: settings.baseUrl, apiKey: settings.apiKey },
        tuning: resolveUploadTuning(),
        terminal,
        onStop: settings.onStop,
      });
    }
    surroundings = startSurroundings(settings.surroundings, writer, terminal, {
      dir,
      startedAt: started.getTime(),
      runtimeOffset: resume.resumed ? inheritedRuntime(resume.resumed.summary) : 0,
    });
  }

  let unregister: () => void = () => undefined;
  const created = new Run({
    id,
    name,
    project: settings.project,
    entity: settings.entity,
    group: settings.group,
    jobType: settings.jobType,
    tags: settings.tags,
    notes: settings.notes,
    mode: settings.mode,
    dir,
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    startTime: started.getTime() / 1000,
    startingStep,
    resumed: resume.resumed !== null,
    inheritedRuntime: resume.resumed ? inheritedRuntime(resume.resumed.summary) : 0,
    terminal,
    engine,
    summary,
    config: configView(config),
    writer,
    uploader,
    files,
    surroundings,
    rootDir: settings.rootDir,
    finishTimeoutMs: settings.finishTimeoutMs,
    onFinished: () => {
      unregister();
      onFinished();
    },
  });
  self.run = created;
  if (!disabled) unregister = finishOnExit((code) => created.finishSync(code));
  printHeader(terminal, created, settings);
  return created;
}

/**
 * Creates the run log; on a full disk removes the half-made run directory and throws a
 * StorageFullError naming it. Writes that fail later are reported once per cause, never block.
 */
function startRunLog(
  dir: string,
  logFile: string,
  holdBytes: number,
  terminal: Terminal,
  media: NonNullable<RunLogWriterOptions["media"]>,
): RunLogWriter {
  try {
    return RunLogWriter.create(logFile, {
      holdBytes,
      media,
      onStall: (ms) =>
        terminal.warnOnce(
          "stall",
          `the disk is not keeping up: log() waited ${ms} ms for the run log writer (nothing is dropped).`,
        ),
      onDiskProblem: (report) => {
        if (report.problem !== null)
          terminal.warnOnce(`disk-${report.problem}`, diskProblemWarning(logFile, report.problem, holdBytes));
        else terminal.warnOnce(droppedSummaryCause(report), droppedSummary(logFile, report));
      },
    });
  } catch (error) {
    if (!isDiskFull(error)) throw error;
    rmSync(dir, { recursive: true, force: true });
    throw runDirectoryFullError(dir, error);
  }
}

/** `{ a: { b: value } }` for the path ["a", "b"]. */
function nestedValue(path: readonly string[], value: unknown): Record<string, unknown> {
  let out: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) out = { [path[i] as string]: out };
  return out as Record<string, unknown>;
}

/**
 * Falls back to the system temp directory when the root is not writable (W&B reference §1.12);
 * a full disk is not "not writable": it fails init() with a StorageFullError naming the root.
 */
function makeRunDirectory(root: string, id: string, started: Date, terminal: Terminal): string {
  try {
    return createRunDirectory(root, id, started);
  } catch (error) {
    if (isDiskFull(error)) throw runDirectoryFullError(root, error);
    terminal.warn(
      `Unable to create the run directory under ${root} (${String(error)}); falling back to ${tmpdir()}.`,
    );
    return createRunDirectory(tmpdir(), id, started);
  }
}

function startRecord(
  settings: ResolvedSettings,
  id: string,
  name: string,
  started: Date,
  config: Record<string, unknown>,
  startingStep: number,
  resume: ResumeDecision,
): RunStartRecord {
  return {
    t: "run",
    id,
    entity: settings.entity,
    project: settings.project,
    name,
    group: settings.group,
    jobType: settings.jobType,
    tags: settings.tags,
    notes: settings.notes,
    config,
    startTime: started.getTime() / 1000,
    startingStep,
    resumed: resume.resumed !== null,
    writer: newWriterId(),
    mode: settings.mode,
    host: hostname(),
    pid: process.pid,
    program: process.argv[1] ?? "",
    args: process.argv.slice(2),
    cwd: process.cwd(),
    gitCommit: findGitCommit(process.cwd()),
    sdkVersion: SDK_VERSION,
    nodeVersion: process.version,
  };
}

function printHeader(terminal: Terminal, run: Run, settings: ResolvedSettings): void {
  if (run.disabled) return;
  terminal.info([
    `Tracking run ${run.name} (${run.id}) in project ${run.project}`,
    `Run data is saved locally in ${run.dir}`,
  ]);
  if (settings.mode === "online") {
    terminal.info([
      `${run.resumed ? "Resuming" : "Syncing"} run ${run.name}`,
      `View project at ${run.getProjectUrl() ?? ""}`,
      `View run at ${run.url ?? ""}`,
    ]);
  }
}

export function newTerminal(settings: ResolvedSettings): Terminal {
  return new Terminal(settings.silent ? "silent" : settings.quiet ? "quiet" : "normal");
}

/** History-maintained keys (`_step`, `_runtime`, `_timestamp`) are not restored: new rows set them. */
function restorableSummary(summary: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(summary).filter(([key]) => !key.startsWith("_")));
}

/**
 * The runtime a resumed run continues from: the larger of the summary's `_runtime` (the last
 * row's) and `_wandb.runtime` (W&B §1.10 also reads the events' tail; a row is logged at least
 * as late as the last heartbeat that matters here).
 */
function inheritedRuntime(summary: Record<string, unknown>): number {
  const wandb = summary["_wandb"];
  const candidates = [
    summary["_runtime"],
    typeof wandb === "object" && wandb !== null ? (wandb as Record<string, unknown>)["runtime"] : undefined,
  ];
  let runtime = 0;
  for (const value of candidates)
    if (typeof value === "number" && Number.isFinite(value) && value > runtime) runtime = value;
  return runtime;
}
