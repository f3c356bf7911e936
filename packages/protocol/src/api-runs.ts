/**
 * The query API's run wire types (api.ts): a run as the API returns it, the run listing (its
 * filters, order, projection and page, as `POST` body or `GET` query string), a run's update,
 * and the query string of its history export.
 */
import { z } from "zod";
import { metricRecordSchema, runStateSchema } from "./run-records.js";
import { LIMITS, nameSchema, notesSchema, NUL_KEY_MESSAGE } from "./limits.js";

const offsetSchema = z.number().int().nonnegative();
const unixSecondsSchema = z.number();
const plainObjectSchema = z.record(z.string(), z.unknown());

/** A run as the API returns it (the stored run, field for field). */
export const runDtoSchema = z.object({
  entity: z.string(),
  project: z.string(),
  id: z.string(),
  name: z.string(),
  state: runStateSchema,
  group: z.string(),
  jobType: z.string(),
  tags: z.array(z.string()),
  notes: z.string(),
  config: plainObjectSchema,
  summary: plainObjectSchema,
  metrics: z.array(metricRecordSchema),
  host: z.string(),
  program: z.string(),
  args: z.array(z.string()),
  gitCommit: z.string().nullable(),
  /** Unix seconds. */
  createdAt: unixSecondsSchema,
  /** Unix seconds of the last ingest (data or heartbeat). */
  heartbeatAt: unixSecondsSchema,
  finishedAt: unixSecondsSchema.nullable(),
  exitCode: z.number().int().nullable(),
  lastStep: z.number().nullable(),
  startingStep: z.number(),
  offsets: z.object({
    history: offsetSchema,
    events: offsetSchema,
    console: offsetSchema,
    meta: offsetSchema,
  }),
  stopRequested: z.boolean(),
  /** The run's 1-based place in its project by creation: stable, so the UI colours runs by it. */
  ordinal: z.number().int().nonnegative(),
});
export type RunDto = z.infer<typeof runDtoSchema>;

/** A dotted path into config/summary (`opt.lr`, `\.` for a literal dot). */
const valuePathSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine((path) => !path.includes("\u0000"), NUL_KEY_MESSAGE);
const stringOrListSchema = z.union([z.string().max(1024), z.array(z.string().max(1024)).min(1).max(1000)]);

/** One run filter; filters compose with AND. Mirrors the store's `RunFilter`. */
export const runFilterSchema = z.union([
  z
    .object({
      field: z.literal("state"),
      op: z.enum(["eq", "ne", "in"]),
      value: z.union([runStateSchema, z.array(runStateSchema).min(1)]),
    })
    .strict(),
  z
    .object({ field: z.literal("tags"), op: z.literal("contains"), value: z.string().min(1).max(64) })
    .strict(),
  z
    .object({
      field: z.enum(["group", "jobType", "name", "id"]),
      op: z.enum(["eq", "ne", "in", "contains"]),
      value: stringOrListSchema,
    })
    .strict(),
  z
    .object({
      field: z.enum(["config", "summary"]),
      path: valuePathSchema,
      op: z.enum(["eq", "ne", "lt", "lte", "gt", "gte", "in", "exists"]),
      value: z.unknown().optional(),
    })
    .strict(),
]);
export type RunFilterDto = z.infer<typeof runFilterSchema>;

export const runOrderSchema = z.union([
  z.object({ field: z.enum(["createdAt", "name", "state", "heartbeatAt"]), desc: z.boolean() }).strict(),
  z.object({ field: z.enum(["config", "summary"]), path: valuePathSchema, desc: z.boolean() }).strict(),
]);
export type RunOrder = z.infer<typeof runOrderSchema>;

export const RUN_LIST_DEFAULT_LIMIT = 100;
export const RUN_LIST_MAX_LIMIT = 1000;
/** Paths a run listing's `select` may name, config and summary together. */
export const RUN_LIST_MAX_SELECT = 1000;

/**
 * A run listing's projection: each listed run holds only these config and summary paths (dotted,
 * `\.` for a literal dot), nested as stored; a path to an object brings the whole object, a path a
 * run lacks is absent, an omitted list means none of that side. Without it, both whole.
 */
export const runListSelectSchema = z
  .object({
    config: z.array(valuePathSchema).max(RUN_LIST_MAX_SELECT).optional(),
    summary: z.array(valuePathSchema).max(RUN_LIST_MAX_SELECT).optional(),
  })
  .strict()
  .refine((s) => (s.config?.length ?? 0) + (s.summary?.length ?? 0) <= RUN_LIST_MAX_SELECT, {
    message: `names at most ${RUN_LIST_MAX_SELECT} paths`,
  });
export type RunListSelectDto = z.infer<typeof runListSelectSchema>;

/** Body of `POST /runs/:entity/:project` (full filters). Default order: createdAt desc. */
export const runListBodySchema = z
  .object({
    filters: z.array(runFilterSchema).max(100).optional(),
    order: runOrderSchema.optional(),
    limit: z.number().int().min(1).max(RUN_LIST_MAX_LIMIT).optional(),
    cursor: z.string().min(1).max(4096).optional(),
    select: runListSelectSchema.optional(),
  })
  .strict();
export type RunListBody = z.infer<typeof runListBodySchema>;

/**
 * Query string of `GET /runs/:entity/:project` (simple filters). `state` and `tags` take comma
 * lists (any state; every tag); `group`, `jobType` match exactly; `name` matches a substring.
 * `sort` is `[-]createdAt|name|state|heartbeatAt` or `[-]summary.<path>` / `[-]config.<path>`
 * (`-` = descending). `select` is a comma list of `summary.<path>` / `config.<path>`: the listed
 * runs hold only those paths (see runListSelectSchema; a key with a comma needs the POST).
 */
export const runListParamsSchema = z
  .object({
    state: z.string().max(1024),
    tags: z.string().max(4096),
    group: z.string().max(1024),
    jobType: z.string().max(1024),
    name: z.string().max(1024),
    sort: z.string().min(1).max(1024),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, "an integer from 1 to 1000")
      .transform(Number)
      .pipe(z.number().int().min(1).max(RUN_LIST_MAX_LIMIT)),
    cursor: z.string().min(1).max(4096),
    select: z.string().max(65_536),
  })
  .partial()
  .strict();
export type RunListParams = z.infer<typeof runListParamsSchema>;

export const runListResponseSchema = z.object({
  runs: z.array(runDtoSchema),
  /** Matching runs in total (all pages). */
  total: z.number().int().nonnegative(),
  nextCursor: z.string().nullable(),
});
export type RunListResponse = z.infer<typeof runListResponseSchema>;

/** Body of `PATCH /runs/:entity/:project/:runId`. `summary` keys are merged, `config` deep-merged. */
export const updateRunBodySchema = z
  .object({
    name: nameSchema("name"),
    tags: z.array(nameSchema("tag")).max(LIMITS.tags),
    notes: notesSchema,
    summary: z.record(z.string().min(1).max(LIMITS.keyLength), z.unknown()),
    config: z.record(z.string().min(1).max(LIMITS.keyLength), z.unknown()),
    /** Asks the run to stop; the SDK sees it in its next ingest response. */
    stop: z.literal(true),
  })
  .partial()
  .strict();
export type UpdateRunBody = z.infer<typeof updateRunBodySchema>;

export const HISTORY_FORMATS = ["ndjson", "csv", "parquet"] as const;

const stepParamSchema = z
  .string()
  .regex(/^-?\d{1,16}$/, "an integer step")
  .transform(Number);

/** Query string of `GET /runs/:entity/:project/:runId/history`: every row, unsampled, streamed. */
export const historyParamsSchema = z
  .object({
    format: z.enum(HISTORY_FORMATS).default("ndjson"),
    /** Comma list of top-level keys; default every key. */
    keys: z
      .string()
      .max(65_536)
      .transform((s) => s.split(",").filter((k) => k.length > 0))
      .optional(),
    minStep: stepParamSchema.optional(),
    maxStep: stepParamSchema.optional(),
  })
  .strict();
export type HistoryParams = z.output<typeof historyParamsSchema>;
