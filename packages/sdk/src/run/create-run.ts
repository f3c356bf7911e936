/**
 * Builds a Run from resolved settings: the run directory, its record log (first record: who
 * the run is), config, summary, exit hooks, and the header lines. Disabled runs touch neither
 * disk nor network.
 */
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { UsageError, type RunStartRecord } from "@stepwise/protocol";
import { configView, RunConfig } from "../config/run-config.js";
import { Terminal } from "../console/terminal.js";
import { findGitCommit } from "../identity/git-commit.js";
import { generateRunId } from "../identity/run-id.js";
import { generateLocalRunName } from "../identity/run-name.js";
import { finishOnExit } from "../lifecycle/exit-hooks.js";
import { runLogFileName } from "../runlog/log-format.js";
import { createRunDirectory } from "../runlog/run-directory.js";
import { RunLogWriter } from "../runlog/run-log-writer.js";
import type { ResolvedSettings } from "../settings/resolve-settings.js";
import { RunSummary, summaryView } from "../summary/run-summary.js";
import { SummaryEngine } from "../summary/summary-engine.js";
import { SDK_VERSION } from "../version.js";
import { Run } from "./run.js";

export function createRun(settings: ResolvedSettings, onFinished: () => void): Run {
  const terminal = new Terminal(settings.silent ? "silent" : settings.quiet ? "quiet" : "normal");
  const disabled = settings.mode === "disabled";
  const id = settings.id ?? generateRunId();
  if (settings.resume === "must") {
    throw new UsageError(
      'init(): resume "must" needs a Stepwise server to look the run up; it arrives with the server release',
    );
  }
  if (settings.resume !== null)
    terminal.warn(`resume "${settings.resume}" is not supported yet; starting a new run with id ${id}.`);

  /** Filled once the Run exists; config and summary callbacks refer to it. */
  const self: { run?: Run } = {};
  let writer: RunLogWriter | null = null;
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
    writer = RunLogWriter.create(join(dir, runLogFileName(id)), {
      onStall: (ms) =>
        terminal.warnOnce(
          "stall",
          `the disk is not keeping up: log() waited ${ms} ms for the run log writer (nothing is dropped).`,
        ),
    });
    const start = startRecord(settings, id, name, started, config.toJSON());
    writer.append(start);
    writeFileSync(join(dir, "files", "metadata.json"), JSON.stringify(start, null, 2) + "\n");
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
    startTime: started.getTime() / 1000,
    startingStep: 0,
    resumed: false,
    terminal,
    engine,
    summary,
    config: configView(config),
    writer,
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

/** Falls back to the system temp directory when the root is not writable (W&B reference §1.12). */
function makeRunDirectory(root: string, id: string, started: Date, terminal: Terminal): string {
  try {
    return createRunDirectory(root, id, started);
  } catch (error) {
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
    startingStep: 0,
    resumed: false,
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
    terminal.info(
      "Uploading to a Stepwise server arrives in the next release; this run is kept locally for now.",
    );
  }
}
