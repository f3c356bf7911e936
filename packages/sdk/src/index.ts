/** The `stepwise` SDK: init a run, log step by step, keep a summary and a config, finish. */
export { init, withRun } from "./init.js";
export { run, getRun, log, finish } from "./active-run.js";
export { Run, type LogOptions, type FinishOptions, type MetricDefinition } from "./run/run.js";
export type { RunSyncStatus } from "./run/sync-status.js";
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
export { syncRunDirectory, type SyncOptions, type SyncResult } from "./upload/sync-run-directory.js";
export { SDK_VERSION } from "./version.js";
export {
  StepwiseError,
  InvalidDataError,
  UsageError,
  ConfigError,
  NotFoundError,
  CorruptDataError,
  AuthError,
  type RunRecord,
  type RunState,
  type ApiKeyDto,
  type CreateApiKeyBody,
  type CreateApiKeyResponse,
} from "@stepwise/protocol";
export { Api, type ApiOptions, type RunsOptions } from "./api/api.js";
export { Artifact, type ArtifactOptions } from "./artifacts/artifact.js";
export type { ReferenceOptions } from "./artifacts/references/pending-reference.js";
export type {
  DistributedArtifactOptions,
  LogArtifactOptions,
  UseArtifactOptions,
} from "./artifacts/run-artifacts.js";
export { ApiRun, type RunUploadOptions } from "./api/api-run.js";
export type { ConsoleLinesOptions, SystemMetricsOptions } from "./api/run-surroundings.js";
export type { RestoreOptions } from "./run/run-restore.js";
export type { SaveOptions } from "./run/run-save.js";
export type { AlertOptions } from "./alerts/run-alerts.js";
export type { AlertLevel } from "@stepwise/protocol";
export type { WatchOptions, WatchLog } from "./watch/model-watcher.js";
export type { EmbedOptions } from "./embed/run-embed.js";
export { tfjs, StepwiseTfjsCallback, type TfjsCallbackOptions } from "./watch/tfjs-callback.js";
export { FileChangedError, isRetryableFileError } from "./files/file-client.js";
export type { HistoryOptions } from "./api/run-history.js";
export type { ApiRunSummary } from "./api/api-run-summary.js";
export { ApiFile, type FileDownloadOptions } from "./api/api-file.js";
export type { ScanHistoryOptions } from "./api/scan-history.js";
export {
  ApiTable,
  type TableExport,
  type TableExportOptions,
  type TableQueryOptions,
} from "./api/api-table.js";
export type {
  ExportProgress,
  ExportRunsOptions,
  ExportRunsResult,
  ExportedRun,
} from "./api/export/export-runs.js";
export {
  parseFilterExpression,
  parseRunOrder,
  type RunFilterInput,
  type RunOrderInput,
} from "./api/run-query.js";
export { credentialsPath } from "./settings/credentials-file.js";
export { resolveApiConnection, DEFAULT_API_BASE_URL, type ApiConnection } from "./api/api-connection.js";
export { Histogram, type HistogramOptions, type HistogramJson } from "./data-types/histogram.js";
export { Table, type TableOptions } from "./data-types/table/table.js";
export { plot } from "./data-types/plot/plot.js";
export { plotTable, CustomChart } from "./data-types/plot/custom-chart.js";
export type { TitleOption } from "./data-types/plot/presets.js";
export type { LineSeriesOptions } from "./data-types/plot/line-series.js";
export type { CurveOptions, ClassLabels, ClassProbabilities } from "./data-types/plot/classifier-plots.js";
export type { ConfusionMatrixOptions } from "./data-types/plot/confusion-matrix.js";
export { Image, type ImageOptions } from "./media/image.js";
export { Audio, type AudioOptions } from "./media/audio.js";
export { Video, type VideoOptions, type VideoFormat } from "./media/video.js";
export { Html, type HtmlOptions } from "./media/html.js";
export { Molecule, type MoleculeOptions, type MoleculeFileType } from "./media/molecule.js";
export { Object3D, type Object3DOptions } from "./media/object3d.js";
export type { LidarScene, Box3D, Vector3D } from "./media/object3d-scene.js";
