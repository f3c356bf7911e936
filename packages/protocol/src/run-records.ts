/**
 * The records of a run's local record log, in the order a run produces them. The log is the
 * source of truth that the uploader and `stepwise sync` replay, so these shapes are the
 * ingestion model too. Paths are arrays of key segments (`["train", "loss"]`), never dotted
 * strings, so a key that itself holds a `.` or `/` stays one segment.
 */
import { z } from "zod";
import { alertRecordSchema } from "./alerts.js";
import { consoleRecordSchema } from "./console.js";
import { systemRecordSchema } from "./system.js";
import { artifactRecordSchema } from "./artifact-run-record.js";
import { fileRecordSchema } from "./files.js";

export const SUMMARY_AGGREGATIONS = ["min", "max", "mean", "first", "last", "best", "none"] as const;
export const summaryAggregationSchema = z.enum(SUMMARY_AGGREGATIONS);
export type SummaryAggregation = z.infer<typeof summaryAggregationSchema>;

export const goalSchema = z.enum(["minimize", "maximize"]);
export type Goal = z.infer<typeof goalSchema>;

export const RUN_MODES = ["online", "offline", "disabled"] as const;
export const runModeSchema = z.enum(RUN_MODES);
export type RunMode = z.infer<typeof runModeSchema>;

export const keyPathSchema = z.array(z.string()).min(1);
export type KeyPath = z.infer<typeof keyPathSchema>;

/** First record of every log: who the run is and where it ran. */
export const runStartRecordSchema = z.object({
  t: z.literal("run"),
  id: z.string(),
  entity: z.string(),
  project: z.string(),
  name: z.string(),
  group: z.string(),
  jobType: z.string(),
  tags: z.array(z.string()),
  notes: z.string(),
  /** Full initial config (nested). */
  config: z.record(z.string(), z.unknown()),
  /** Unix seconds (float). */
  startTime: z.number(),
  startingStep: z.number().int().nonnegative(),
  resumed: z.boolean(),
  /**
   * This run directory's writer id (ingest.ts `writer`), random per `init()`. Logs written
   * before writer ids lack it: their writer id is derived from the record (the SDK's writerIdOf).
   */
  writer: z.string().optional(),
  mode: runModeSchema,
  host: z.string(),
  pid: z.number().int(),
  program: z.string(),
  args: z.array(z.string()),
  cwd: z.string(),
  gitCommit: z.string().nullable(),
  sdkVersion: z.string(),
  nodeVersion: z.string(),
});
export type RunStartRecord = z.infer<typeof runStartRecordSchema>;

/** A config change: a nested delta, deep-merged into the config in log order. */
export const configRecordSchema = z.object({
  t: z.literal("config"),
  update: z.record(z.string(), z.unknown()),
});
export type ConfigRecord = z.infer<typeof configRecordSchema>;

/** A metric definition (from `defineMetric`, or expanded from a glob the first time a key matched). */
export const metricRecordSchema = z.object({
  t: z.literal("metric"),
  /** Dotted name as given (escaped `\.` kept), or the glob (`train/*`). */
  name: z.string(),
  path: keyPathSchema.nullable(),
  glob: z.boolean(),
  stepMetric: z.string().nullable(),
  stepSync: z.boolean(),
  hidden: z.boolean(),
  summary: z.array(summaryAggregationSchema),
  goal: goalSchema.nullable(),
  /** The glob this definition was copied from, when it was expanded from one. */
  expandedFrom: z.string().nullable(),
});
export type MetricRecord = z.infer<typeof metricRecordSchema>;

/** One committed history row: the user's (nested) keys plus `_step`, `_runtime`, `_timestamp`. */
export const historyRecordSchema = z.object({
  t: z.literal("history"),
  row: z.record(z.string(), z.unknown()),
});
export type HistoryRecord = z.infer<typeof historyRecordSchema>;

export const summaryOpSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("set"), path: keyPathSchema, value: z.unknown() }),
  z.object({ op: z.literal("remove"), path: keyPathSchema }),
]);
export type SummaryOp = z.infer<typeof summaryOpSchema>;

/** Explicit summary changes (`run.summary.set/update/delete`), in call order. */
export const summaryRecordSchema = z.object({
  t: z.literal("summary"),
  ops: z.array(summaryOpSchema),
});
export type SummaryRecord = z.infer<typeof summaryRecordSchema>;

/** The whole summary as the run saw it, written at finish (and so, known exactly after a clean exit). */
export const summarySnapshotRecordSchema = z.object({
  t: z.literal("summary-snapshot"),
  summary: z.record(z.string(), z.unknown()),
});
export type SummarySnapshotRecord = z.infer<typeof summarySnapshotRecordSchema>;

/** A change of name, tags or notes after init. */
export const runUpdateRecordSchema = z.object({
  t: z.literal("run-update"),
  name: z.string().optional(),
  tags: z.array(z.string()).optional(),
  notes: z.string().optional(),
});
export type RunUpdateRecord = z.infer<typeof runUpdateRecordSchema>;

/** Last record of a run that finished: exit code and runtime. */
export const exitRecordSchema = z.object({
  t: z.literal("exit"),
  exitCode: z.number().int(),
  /** Seconds (float) on the run timer. */
  runtime: z.number(),
  /** Unix seconds (float). */
  time: z.number(),
});
export type ExitRecord = z.infer<typeof exitRecordSchema>;

export const runRecordSchema = z.discriminatedUnion("t", [
  runStartRecordSchema,
  configRecordSchema,
  metricRecordSchema,
  historyRecordSchema,
  summaryRecordSchema,
  summarySnapshotRecordSchema,
  runUpdateRecordSchema,
  exitRecordSchema,
  fileRecordSchema,
  artifactRecordSchema,
  alertRecordSchema,
  consoleRecordSchema,
  systemRecordSchema,
]);
export type RunRecord = z.infer<typeof runRecordSchema>;

export const RUN_STATES = [
  "running",
  "finished",
  "failed",
  "crashed",
  "killed",
  "preempting",
  "preempted",
] as const;
export const runStateSchema = z.enum(RUN_STATES);
export type RunState = z.infer<typeof runStateSchema>;
