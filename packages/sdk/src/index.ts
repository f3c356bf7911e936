/** The `stepwise` SDK: init a run, log step by step, keep a summary and a config, finish. */
export { init, withRun } from "./init.js";
export { run, getRun, log, finish } from "./active-run.js";
export { Run, type LogOptions, type FinishOptions, type MetricDefinition } from "./run/run.js";
export type { InitOptions, InitSettings, ResumeMode } from "./settings/init-options.js";
export type { DefineMetricOptions } from "./summary/summary-engine.js";
export type { RunConfig, ConfigUpdateOptions, ConfigView } from "./config/run-config.js";
export type { RunSummary, SummaryView } from "./summary/run-summary.js";
export {
  readOfflineRun,
  iterateHistory,
  type OfflineRun,
  type OfflineRunInfo,
} from "./runlog/offline-run.js";
export {
  RunLogReader,
  type RunLogEntry,
  type RunLogIssue,
  type RunLogReaderOptions,
} from "./runlog/run-log-reader.js";
export { resolveRunLog } from "./runlog/run-directory.js";
export { SDK_VERSION } from "./version.js";
export {
  StepwiseError,
  InvalidDataError,
  UsageError,
  ConfigError,
  NotFoundError,
  CorruptDataError,
  type RunRecord,
  type RunState,
} from "@stepwise/protocol";
