/**
 * The one write primitive: an ingest batch for one run. Each stream carries an absolute offset
 * (the index of its first item, like W&B file_stream line offsets), so a re-sent batch is a
 * no-op and a gap is answered with the offset the server expects. The W&B file_stream adapter
 * maps onto the same streams: wandb-history.jsonl → history, wandb-events.jsonl → events,
 * output.log → console, wandb-summary.json → summary.
 *
 * Bodies are extended JSON (NaN, Infinity, -Infinity as bare tokens), optionally gzip-encoded.
 */
import { z } from "zod";
import { alertRecordSchema } from "./alerts.js";
import {
  LIMITS,
  MAX_KEY_LENGTH,
  nameSchema,
  notesSchema,
  runTextSchema,
  UNSAFE_NAME_CHARACTERS,
} from "./limits.js";
import {
  configRecordSchema,
  metricRecordSchema,
  runModeSchema,
  runUpdateRecordSchema,
  summaryRecordSchema,
} from "./run-records.js";

// No control or bidirectional-text characters (limits.ts), and not "." or ".." (names become URL
// path segments and file-store keys).
const NAME_CHARACTER = String.raw`[^/\\#?%:${UNSAFE_NAME_CHARACTERS}]`;
export const NAME_PATTERN = new RegExp(
  String.raw`^(?!\.{1,2}$)${NAME_CHARACTER}{1,${LIMITS.entityNameLength}}$`,
);
// A run id also refuses ; , ' and whitespace at either end.
const RUN_ID_CHARACTER = String.raw`[^:;,#?/'\\%${UNSAFE_NAME_CHARACTERS}]`;
const RUN_ID_END = String.raw`[^:;,#?/'\\\s%${UNSAFE_NAME_CHARACTERS}]`;
export const RUN_ID_PATTERN = new RegExp(
  String.raw`^(?!\.{1,2}$)${RUN_ID_END}(?:${RUN_ID_CHARACTER}{0,${LIMITS.runIdLength - 2}}${RUN_ID_END})?$`,
);

export const entityNameSchema = z
  .string()
  .regex(
    NAME_PATTERN,
    `1–${LIMITS.entityNameLength} characters, none of / \\ # ? % : and no control or bidirectional-text character`,
  );
export const projectNameSchema = entityNameSchema;
export const runIdSchema = z
  .string()
  .regex(
    RUN_ID_PATTERN,
    `1–${LIMITS.runIdLength} characters, none of : ; , # ? / ' \\, no surrounding spaces, no control or bidirectional-text character`,
  );

export const runRefSchema = z.object({
  entity: entityNameSchema,
  project: projectNameSchema,
  runId: runIdSchema,
});
export type RunRef = z.infer<typeof runRefSchema>;

/** Run metadata sent on the first batch (and when it changes). Everything optional: the server keeps what it has. */
export const runUpsertSchema = z
  .object({
    name: nameSchema("name"),
    group: nameSchema("group"),
    jobType: nameSchema("jobType"),
    tags: z.array(nameSchema("tag")).max(LIMITS.tags),
    notes: notesSchema,
    config: z.record(z.string(), z.unknown()),
    host: runTextSchema(LIMITS.hostLength),
    program: runTextSchema(LIMITS.programLength),
    args: z.array(runTextSchema(LIMITS.argLength)).max(LIMITS.args),
    gitCommit: runTextSchema(64).nullable(),
    /** Unix seconds. */
    startTime: z.number().finite(),
    startingStep: z.number().int().nonnegative(),
    mode: runModeSchema,
    sdkVersion: runTextSchema(64),
  })
  .partial();
export type RunUpsert = z.infer<typeof runUpsertSchema>;

/** One history row: the user's keys plus `_step`, `_runtime`, `_timestamp`. */
export type HistoryRow = Record<string, unknown>;

/**
 * A plain object whose keys are 1–1024 characters. Checked by hand rather than with
 * `z.record(...)`: rows arrive by the hundred thousand per second and the generic record
 * validator was the largest single cost of ingestion. Values are checked by the store.
 */
export function isHistoryRow(value: unknown): value is HistoryRow {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  for (const key in value) if (key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  return true;
}

export const historyRowSchema = z.custom<HistoryRow>(isHistoryRow, {
  message: `a row must be an object whose keys are 1–${MAX_KEY_LENGTH} characters`,
});

/**
 * Ordered run-level records other than history: config changes, metric definitions, explicit
 * summary ops, name/tags/notes, alerts (alerts.ts; a server from before alerts refuses the record
 * and the SDK quarantines it alone, so the rest of the run still goes).
 */
export const metaRecordSchema = z.discriminatedUnion("t", [
  configRecordSchema,
  metricRecordSchema,
  summaryRecordSchema,
  runUpdateRecordSchema,
  alertRecordSchema,
]);
export type MetaRecord = z.infer<typeof metaRecordSchema>;

const offsetSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * Who writes a batch. Each `init()` (each resume too) makes a random writer id, keeps it in its
 * run log's run record and sends it with every batch. A run takes batches only from its current
 * writer: another process that uses the same run id is refused (WRITER_CONFLICT), never merged
 * and never mistaken for a re-send. `resumeFrom` claims the run for this writer (a resumed run,
 * or `stepwise sync --resume`): the server's stream counts when the writer looked the run up;
 * the claim holds only if the run still has exactly those counts.
 */
export const WRITER_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const streamCountsSchema = z.object({
  history: offsetSchema,
  events: offsetSchema,
  console: offsetSchema,
  meta: offsetSchema,
});
export const ingestWriterSchema = z.object({
  id: z.string().regex(WRITER_ID_PATTERN, "16–64 characters of A–Z, a–z, 0–9, _ and -"),
  resumeFrom: streamCountsSchema.optional(),
});
export type IngestWriter = z.infer<typeof ingestWriterSchema>;

export const ingestBatchSchema = z.object({
  /** Optional for clients from before writer ids; a run with a writer refuses batches without one. */
  writer: ingestWriterSchema.optional(),
  run: runUpsertSchema.optional(),
  /**
   * History rows as objects (`rows`) or, cheaper for both sides, as their extended-JSON text, one
   * row per string (`lines`, as W&B's file_stream sends wandb-history.jsonl): the server parses
   * each line for the series and stores the line itself, without serialising the row again.
   */
  history: z
    .object({
      offset: offsetSchema,
      rows: z.array(historyRowSchema).max(LIMITS.batchItems).optional(),
      lines: z.array(z.string().max(LIMITS.historyLineLength)).max(LIMITS.batchItems).optional(),
    })
    .refine((h) => (h.rows === undefined) !== (h.lines === undefined), "give exactly one of rows or lines")
    .optional(),
  /** System metrics samples (`system.*` keys plus `_timestamp`, `_runtime`). */
  events: z
    .object({ offset: offsetSchema, lines: z.array(historyRowSchema).max(LIMITS.batchItems) })
    .optional(),
  /** Console lines; unlike the other streams a line may be rewritten at an old offset (progress bars). */
  console: z
    .object({
      offset: offsetSchema,
      lines: z.array(z.string().max(LIMITS.consoleLineLength)).max(LIMITS.batchItems),
    })
    .optional(),
  meta: z
    .object({ offset: offsetSchema, records: z.array(metaRecordSchema).max(LIMITS.batchItems) })
    .optional(),
  /** The whole summary as the client sees it; replaces the stored one. */
  summary: z.record(z.string(), z.unknown()).optional(),
  preempting: z.literal(true).optional(),
  /** Present only in the last batch of a run that finished. */
  exit: z.object({ exitCode: z.number().int(), runtime: z.number().finite().nonnegative() }).optional(),
  /**
   * Sent by `stepwise sync`: the batch replays a run directory whose process has ended. It never
   * makes the run `running` nor moves its heartbeat; only its exit, when it brings one, changes
   * the state (a crashed run completed by sync ends finished or failed with its own exit code
   * and runtime).
   */
  replay: z.literal(true).optional(),
});
export type IngestBatch = z.infer<typeof ingestBatchSchema>;

export const STREAMS = ["history", "events", "console", "meta"] as const;
export type StreamName = (typeof STREAMS)[number];
export type StreamOffsets = Record<StreamName, number>;

export const ingestResponseSchema = z.object({
  /** The next offset the server expects on each stream (= items stored, with no gaps). */
  next: z.object({ history: offsetSchema, events: offsetSchema, console: offsetSchema, meta: offsetSchema }),
  /** Set when someone asked the run to stop from the UI/API. */
  stopped: z.boolean(),
  state: z.string(),
  name: z.string(),
  /** The server's instance id (`GET /viewer`), so the SDK keeps its sync state per server. */
  serverId: z.string().optional(),
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;
