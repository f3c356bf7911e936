/**
 * The query API's wire types: one zod schema (and the same-named inferred type) per request and
 * response of `/api/v1`. The server validates every request with these, the SDK's `Api` client
 * and the web UI decode responses with them.
 *
 * Encoding: request and response bodies are extended JSON (`parseExtended` / `stringifyExtended`),
 * because a run's summary and config may hold NaN or ±Infinity. Series responses never do: their
 * non-finite points are null. Every 4xx/5xx carries an `ErrorBody`.
 */
import { z } from "zod";
import { errorCatalogue, type ErrorCode } from "./errors.js";
import { entityNameSchema, runRefSchema, type RunRef } from "./ingest.js";
import { metricRecordSchema, runStateSchema } from "./run-records.js";
import { LIMITS, nameSchema, notesSchema, NUL_KEY_MESSAGE } from "./limits.js";
import { fileDtoSchema } from "./files.js";

export const API_PREFIX = "/api/v1";

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

export const SERIES_MAX_BUCKETS = 10_000;
export const SERIES_MAX_SERIES = 10_000;

/** Body of `POST /series`: downsampled series for many runs × keys. */
export const seriesQuerySchema = z
  .object({
    runs: z.array(runRefSchema).min(1).max(1000),
    keys: z
      .array(
        z
          .string()
          .min(1)
          .max(1024)
          .refine((key) => !key.includes("\u0000"), NUL_KEY_MESSAGE),
      )
      .min(1)
      .max(1000),
    /** `_step` (default), `_runtime`, `_timestamp`, or any logged numeric key. */
    xAxis: z
      .string()
      .min(1)
      .max(1024)
      .refine((key) => !key.includes("\u0000"), NUL_KEY_MESSAGE)
      .default("_step"),
    xMin: z.number().finite().optional(),
    xMax: z.number().finite().optional(),
    /** The point budget per series (default 1000, at most 10,000). */
    buckets: z.number().int().min(1).max(SERIES_MAX_BUCKETS).default(1000),
  })
  .strict()
  .refine((q) => q.runs.length * q.keys.length <= SERIES_MAX_SERIES, {
    message: `runs × keys must be at most ${SERIES_MAX_SERIES}; split the query`,
    path: ["keys"],
  })
  .refine((q) => q.xMin === undefined || q.xMax === undefined || q.xMin <= q.xMax, {
    message: "xMin must not be greater than xMax",
    path: ["xMin"],
  });
export type SeriesQueryInput = z.input<typeof seriesQuerySchema>;
export type SeriesQueryBody = z.output<typeof seriesQuerySchema>;

const nullableNumbers = z.array(z.number().nullable());

/** One series, column-wise; non-finite values are null. `exact`: one point per bucket. */
export const seriesResultSchema = z.object({
  run: runRefSchema,
  key: z.string(),
  exact: z.boolean(),
  /** Points in the range, whatever the budget. */
  count: z.number().int().nonnegative(),
  x: z.array(z.number()),
  min: nullableNumbers,
  max: nullableNumbers,
  mean: nullableNumbers,
  last: nullableNumbers,
  /** Points merged in each bucket. */
  n: z.array(z.number().int()),
});
export type SeriesResultDto = z.infer<typeof seriesResultSchema>;

export const seriesResponseSchema = z.object({ series: z.array(seriesResultSchema) });
export type SeriesResponse = z.infer<typeof seriesResponseSchema>;

/** Keys in one answer of `POST /series/keys`, at most and by default: a run may log 100,000. */
export const SERIES_KEYS_MAX_LIMIT = 10_000;

/**
 * Body of `POST /series/keys`: which numeric keys the runs have logged to their history, a page
 * at a time (`limit`, then `cursor` = the previous answer's `nextCursor`), optionally only the
 * keys that contain `search` (case-insensitive for ASCII letters).
 */
export const seriesKeysQuerySchema = z
  .object({
    runs: z.array(runRefSchema).min(1).max(1000),
    search: z
      .string()
      .max(LIMITS.keyLength)
      .refine((key) => !key.includes("\u0000"), NUL_KEY_MESSAGE)
      .optional(),
    limit: z.number().int().min(1).max(SERIES_KEYS_MAX_LIMIT).optional(),
    // A key is a dotted path of up to valueDepth segments of keyLength each.
    cursor: z
      .string()
      .max(LIMITS.keyLength * (LIMITS.valueDepth + 1))
      .refine((key) => !key.includes("\u0000"), NUL_KEY_MESSAGE)
      .optional(),
  })
  .strict();
export type SeriesKeysQuery = z.infer<typeof seriesKeysQuerySchema>;

/**
 * Series keys any of the runs has (numeric history leaves, dotted; `_step` is the x, never a
 * key), each once, in code point order (UTF-8 byte order); `nextCursor` is null when no key
 * is left after them.
 */
export const seriesKeysResponseSchema = z.object({
  keys: z.array(z.string()),
  nextCursor: z.string().nullable().default(null),
});
export type SeriesKeysResponse = z.infer<typeof seriesKeysResponseSchema>;

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

export const fileListResponseSchema = z.object({ files: z.array(fileDtoSchema) });
export type FileListResponse = z.infer<typeof fileListResponseSchema>;

export const entityDtoSchema = z.object({
  name: z.string(),
  projects: z.number().int().nonnegative(),
  runs: z.number().int().nonnegative(),
  lastActivity: z.number().nullable(),
});
export type EntityDto = z.infer<typeof entityDtoSchema>;
export const entityListResponseSchema = z.object({ entities: z.array(entityDtoSchema) });
export type EntityListResponse = z.infer<typeof entityListResponseSchema>;

export const projectDtoSchema = z.object({
  entity: z.string(),
  name: z.string(),
  runs: z.number().int().nonnegative(),
  lastActivity: z.number().nullable(),
});
export type ProjectDto = z.infer<typeof projectDtoSchema>;
export const projectListResponseSchema = z.object({ projects: z.array(projectDtoSchema) });
export type ProjectListResponse = z.infer<typeof projectListResponseSchema>;

/** `GET /viewer`: who the server takes the caller to be. */
export const viewerResponseSchema = z.object({
  /** The API key's id, null for a trusted loopback request without a key. */
  keyId: z.string().nullable(),
  name: z.string(),
  entity: z.string(),
  admin: z.boolean(),
  /** `embed`: an embed token (embed.ts), which may read one run only. */
  via: z.enum(["key", "loopback", "embed"]),
  /** The server's instance id: generated once with its store, kept with its data (a restored backup keeps it). */
  serverId: z.string().optional(),
});
export type ViewerResponse = z.infer<typeof viewerResponseSchema>;

/** Body of `POST /keys` (admin only): a new API key for an entity. */
export const createApiKeyBodySchema = z
  .object({
    name: z.string().min(1).max(128),
    entity: entityNameSchema,
    admin: z.boolean().default(false),
  })
  .strict();
export type CreateApiKeyBody = z.input<typeof createApiKeyBodySchema>;

/** The key itself is returned once, here; the server keeps only its hash. */
export const createApiKeyResponseSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  entity: z.string(),
  admin: z.boolean(),
});
export type CreateApiKeyResponse = z.infer<typeof createApiKeyResponseSchema>;

/** One API key as `GET /keys` lists it: never its secret (the server keeps only a hash). */
export const apiKeyDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  entity: z.string(),
  admin: z.boolean(),
  /** Unix seconds. */
  createdAt: z.number(),
  /** Unix seconds of the last request with the key, to within a minute; null if never used. */
  lastUsedAt: z.number().nullable(),
});
export type ApiKeyDto = z.infer<typeof apiKeyDtoSchema>;

/** `GET /keys` (admin only): every key, oldest first. */
export const apiKeyListResponseSchema = z.object({ keys: z.array(apiKeyDtoSchema) });
export type ApiKeyListResponse = z.infer<typeof apiKeyListResponseSchema>;

const errorCodes = Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]];

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** URL builders for every endpoint, so that clients never assemble paths by hand. */
export const apiPaths = {
  viewer: (): string => `${API_PREFIX}/viewer`,
  entities: (): string => `${API_PREFIX}/entities`,
  projects: (entity: string): string => `${API_PREFIX}/entities/${enc(entity)}/projects`,
  runs: (entity: string, project: string): string => `${API_PREFIX}/runs/${enc(entity)}/${enc(project)}`,
  run: (ref: RunRef): string => `${API_PREFIX}/runs/${enc(ref.entity)}/${enc(ref.project)}/${enc(ref.runId)}`,
  ingest: (ref: RunRef): string => `${apiPaths.run(ref)}/ingest`,
  history: (ref: RunRef): string => `${apiPaths.run(ref)}/history`,
  files: (ref: RunRef): string => `${apiPaths.run(ref)}/files`,
  file: (ref: RunRef, path: string): string => `${apiPaths.files(ref)}/${path.split("/").map(enc).join("/")}`,
  /** Declares a file to upload (files.ts); answers `stored` or where to send its parts. */
  fileUploads: (ref: RunRef): string => `${apiPaths.run(ref)}/file-uploads`,
  series: (): string => `${API_PREFIX}/series`,
  seriesKeys: (): string => `${API_PREFIX}/series/keys`,
  keys: (): string => `${API_PREFIX}/keys`,
  key: (id: string): string => `${API_PREFIX}/keys/${enc(id)}`,
};

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
