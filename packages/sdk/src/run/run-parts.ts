/** The options of a Run's calls and what a Run is made of (built by `init()`, create-run.ts). */
import type { MetricRecord, RunMode } from "@stepwise/protocol";
import type { ConfigView } from "../config/run-config.js";
import type { Terminal } from "../console/terminal.js";
import type { RunLogWriter } from "../runlog/run-log-writer.js";
import type { SummaryEngine } from "../summary/summary-engine.js";
import type { SummaryView } from "../summary/run-summary.js";
import type { Uploader } from "../upload/uploader.js";
import type { RunFiles } from "./run-files.js";

export interface LogOptions {
  /** Log into this step instead of the current one (must not be lower than `run.step`). */
  step?: number;
  /** Commit the row now (default: true without `step`, false with it). */
  commit?: boolean;
}

export interface FinishOptions {
  /** 0 (default) → finished; anything else → failed. */
  exitCode?: number;
}

export type MetricDefinition = MetricRecord;

/** Everything a Run is made of; built by `init()`. */
export interface RunParts {
  id: string;
  name: string;
  project: string;
  entity: string;
  group: string;
  jobType: string;
  tags: string[];
  notes: string;
  mode: RunMode;
  dir: string;
  baseUrl: string;
  /** The server's API key (null: none), for `restore()`'s downloads. */
  apiKey?: string | null;
  /** Unix seconds. */
  startTime: number;
  startingStep: number;
  resumed: boolean;
  /** Seconds of `_runtime` a resumed run continues from (W&B §1.10); 0 for a new run. */
  inheritedRuntime: number;
  terminal: Terminal;
  engine: SummaryEngine;
  summary: SummaryView;
  config: ConfigView;
  /** null when disabled. */
  writer: RunLogWriter | null;
  /** null unless online. */
  uploader: Uploader | null;
  /** The run's file records (run-files.ts); null when disabled. */
  files: RunFiles | null;
  /** Console capture and system metrics (run-surroundings.ts), stopped before the exit record; null when off. */
  surroundings?: { stop(): void } | null;
  /** Root of the local `stepwise/` folder (resume.json lives there). */
  rootDir: string;
  finishTimeoutMs: number;
  /** Called once when the run is finished (init uses it to clear the active run). */
  onFinished: () => void;
}
