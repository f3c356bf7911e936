/**
 * Reads a run back from its local directory alone — no server: metadata, config, summary,
 * metric definitions, state, and every history row. This is what `stepwise export <run-dir>`
 * prints, and how a run directory is checked from outside.
 */
import type { MetricRecord, RunRecord, RunStartRecord, RunState } from "@stepwise/protocol";
import { CorruptDataError } from "@stepwise/protocol";
import { deepMerge } from "../values/deep-merge.js";
import { SummaryEngine } from "../summary/summary-engine.js";
import { RunLogReader, type RunLogIssue } from "./run-log-reader.js";
import { resolveRunLog } from "./run-directory.js";
import { writerAlive } from "./writer-alive.js";

export interface OfflineRunInfo {
  id: string;
  name: string;
  project: string;
  entity: string;
  state: RunState;
  exitCode: number | null;
  group: string;
  jobType: string;
  tags: string[];
  notes: string;
  /** Unix seconds. */
  startTime: number;
  /** Seconds on the run timer at the last row or at exit. */
  runtime: number;
  lastStep: number | null;
  historyRows: number;
}

export interface OfflineRun {
  dir: string;
  logFile: string;
  info: OfflineRunInfo;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
  metrics: MetricRecord[];
  /** Damage found in the log (a torn tail after a crash is normal and harmless). */
  issues: RunLogIssue[];
}

/** Reads the whole log once; history rows are replayed into the summary, not kept. */
export function readOfflineRun(target: string): OfflineRun {
  const { dir, logFile } = resolveRunLog(target);
  const reader = new RunLogReader(logFile);
  const replayedSummary = new SummaryEngine({ onMetric: () => undefined, onWarning: () => undefined });
  let start: RunStartRecord | null = null;
  let config: Record<string, unknown> = {};
  let snapshot: Record<string, unknown> | null = null;
  let exit: { exitCode: number; runtime: number } | null = null;
  let lastStep: number | null = null;
  let runtime = 0;
  let historyRows = 0;
  const updates: Partial<Pick<OfflineRunInfo, "name" | "tags" | "notes">> = {};
  for (const { record } of reader.records()) {
    switch (record.t) {
      case "run":
        start ??= record;
        config = deepMerge({}, record.config);
        break;
      case "config":
        config = deepMerge(config, record.update);
        break;
      case "metric":
        replayedSummary.applyMetricRecord(record);
        break;
      case "history": {
        historyRows++;
        const step = record.row["_step"];
        if (typeof step === "number") lastStep = step;
        const rowRuntime = record.row["_runtime"];
        if (typeof rowRuntime === "number") runtime = rowRuntime;
        replayedSummary.observeRow(record.row);
        break;
      }
      case "summary":
        for (const op of record.ops) {
          if (op.op === "set") replayedSummary.set(op.path, op.value);
          else replayedSummary.remove(op.path);
        }
        break;
      case "summary-snapshot":
        snapshot = record.summary;
        break;
      case "run-update":
        Object.assign(updates, pickDefined(record));
        break;
      case "exit":
        exit = { exitCode: record.exitCode, runtime: record.runtime };
        runtime = record.runtime;
        break;
    }
  }
  if (!start) throw new CorruptDataError(`${logFile} holds no run record; the run never started writing`);
  return {
    dir,
    logFile,
    info: {
      id: start.id,
      name: updates.name ?? start.name,
      project: start.project,
      entity: start.entity,
      state: stateOf(start, exit),
      exitCode: exit ? exit.exitCode : null,
      group: start.group,
      jobType: start.jobType,
      tags: updates.tags ?? start.tags,
      notes: updates.notes ?? start.notes,
      startTime: start.startTime,
      runtime,
      lastStep,
      historyRows,
    },
    config,
    summary: snapshot ?? replayedSummary.toJSON(),
    metrics: replayedSummary.definitions(),
    issues: reader.issues,
  };
}

/** Every history row, in order, streamed from the log. */
export function* iterateHistory(target: string): Generator<Record<string, unknown>> {
  const reader = new RunLogReader(resolveRunLog(target).logFile);
  for (const { record } of reader.records()) if (record.t === "history") yield record.row;
}

/** Offline state: finished (exit 0) or failed (other codes); without an exit, running while its process lives, else crashed. */
function stateOf(start: RunStartRecord, exit: { exitCode: number } | null): RunState {
  if (exit) return exit.exitCode === 0 ? "finished" : "failed";
  return writerAlive(start.host, start.pid) ? "running" : "crashed";
}

function pickDefined(record: Extract<RunRecord, { t: "run-update" }>): Partial<OfflineRunInfo> {
  const out: Partial<OfflineRunInfo> = {};
  if (record.name !== undefined) out.name = record.name;
  if (record.tags !== undefined) out.tags = record.tags;
  if (record.notes !== undefined) out.notes = record.notes;
  return out;
}
