/**
 * Wire types of the structured values: histograms over steps (a heatmap), tables (a page of a
 * stored table, sorted, filtered, grouped) and chart presets (Vega-Lite specs with named field
 * slots) with the custom charts that bind a logged table to one.
 *
 * Routes (all under `/api/v1`, see docs/api.md):
 * - `GET  {structuredPaths.histogramKeys(run)}` → `HistogramKeysResponse`
 * - `POST {structuredPaths.histograms(run)}` `HistogramQuery` → `HistogramHeatmap`
 * - `GET  {structuredPaths.tables(run)}` → `TableListResponse` (every table key and its versions)
 * - `POST {structuredPaths.tableQuery(run)}` `TableQuery` → `TablePage`
 * - `GET  {structuredPaths.tableExport(run)}?key=&step=&format=csv|parquet&where=&sort=` → the file
 * - `GET  {structuredPaths.charts(run)}` → `RunChartsResponse` (custom charts resolved)
 * - `GET|PUT|DELETE {structuredPaths.preset(id)}`, `GET {structuredPaths.presets()}`,
 *   `POST {structuredPaths.presetRender()}` `PresetRenderBody` → `PresetRenderResponse`
 */
import { z } from "zod";
import { LIMITS, NUL_KEY_MESSAGE } from "./limits.js";
import { runRefSchema, type RunRef } from "./ingest.js";

const keySchema = z
  .string()
  .min(1)
  .max(LIMITS.keyLength)
  .refine((key) => !key.includes("\u0000"), NUL_KEY_MESSAGE);
const finite = z.number().finite();

// ---------------------------------------------------------------------------------------------
// Histograms

/** W&B's bin limit: a histogram has 1–512 bins (`bins.length === values.length + 1`). */
export const HISTOGRAM_MAX_BINS = 512;
export const HISTOGRAM_DEFAULT_ROWS = 64;
export const HISTOGRAM_MAX_COLUMNS = 10_000;
/** Exact heatmaps carry the logged histograms too up to this many (beyond, only the grid). */
export const HISTOGRAM_MAX_LOGGED = 2000;

/** The history value of a histogram, W&B's shape: `values` are the counts, `bins` the edges. */
export const histogramValueSchema = z.object({
  _type: z.literal("histogram"),
  values: z.array(finite.nonnegative()).min(1).max(HISTOGRAM_MAX_BINS),
  bins: z
    .array(finite)
    .min(2)
    .max(HISTOGRAM_MAX_BINS + 1),
});
export type HistogramValue = z.infer<typeof histogramValueSchema>;

export const histogramKeySchema = z.object({
  key: z.string(),
  /** Histograms stored for the key (one per step). */
  count: z.number().int().nonnegative(),
  firstStep: z.number(),
  lastStep: z.number(),
});
export const histogramKeysResponseSchema = z.object({ keys: z.array(histogramKeySchema) });
export type HistogramKeysResponse = z.infer<typeof histogramKeysResponseSchema>;

/** Body of `POST …/histograms`: one key of one run as a heatmap. */
export const histogramQuerySchema = z
  .object({
    key: keySchema,
    /** `_step` (default) or any numeric history key: each column's x is that key's value at the step. */
    xAxis: keySchema.default("_step"),
    xMin: finite.optional(),
    xMax: finite.optional(),
    /** At most this many columns: more histograms in range are merged (downsampled). Default 1000. */
    columns: z.number().int().min(1).max(HISTOGRAM_MAX_COLUMNS).default(1000),
    /** Rows of the common y grid every column is redistributed onto. Default 64. */
    rows: z.number().int().min(1).max(HISTOGRAM_MAX_BINS).default(HISTOGRAM_DEFAULT_ROWS),
  })
  .strict()
  .refine((q) => q.xMin === undefined || q.xMax === undefined || q.xMin <= q.xMax, {
    message: "xMin must not be greater than xMax",
    path: ["xMin"],
  });
export type HistogramQueryInput = z.input<typeof histogramQuerySchema>;
export type HistogramQuery = z.output<typeof histogramQuerySchema>;

/**
 * A heatmap, column-wise: column i spans x in [xMin[i], xMax[i]] (steps stepMin[i]…stepMax[i]),
 * merges `merged[i]` histograms and has `counts[i][j]` in y bin [yEdges[j], yEdges[j+1]).
 * A merged column's counts are the mean of its histograms' (so colours compare across zoom
 * levels); a histogram's counts are spread over the grid in proportion to bin overlap.
 * `exact`: one column per stored histogram; then, for at most HISTOGRAM_MAX_LOGGED of them,
 * `histograms` holds them as logged (their own edges and counts) for tooltips.
 */
export const histogramHeatmapSchema = z.object({
  run: runRefSchema,
  key: z.string(),
  xAxis: z.string(),
  exact: z.boolean(),
  /** Histograms in the x range, whatever the column budget. */
  count: z.number().int().nonnegative(),
  yEdges: z.array(z.number()),
  x: z.array(z.number()),
  xMin: z.array(z.number()),
  xMax: z.array(z.number()),
  stepMin: z.array(z.number()),
  stepMax: z.array(z.number()),
  merged: z.array(z.number().int().positive()),
  counts: z.array(z.array(z.number())),
  histograms: z
    .array(
      z.object({ step: z.number(), x: z.number(), edges: z.array(z.number()), counts: z.array(z.number()) }),
    )
    .optional(),
});
export type HistogramHeatmap = z.infer<typeof histogramHeatmapSchema>;

// ---------------------------------------------------------------------------------------------
// Tables

/** W&B's history value of a logged table (the file arrives through the file channel). */
export const tableFileValueSchema = z
  .object({
    _type: z.literal("table-file"),
    path: z.string().min(1).max(LIMITS.filePathLength),
    sha256: z.string().optional(),
    size: z.number().int().nonnegative().optional(),
    ncols: z.number().int().nonnegative().optional(),
    nrows: z.number().int().nonnegative().optional(),
  })
  .passthrough();
export type TableFileValue = z.infer<typeof tableFileValueSchema>;

/** A column's type, inferred from its cells when the table is stored. `mixed`: several kinds. */
export const TABLE_COLUMN_TYPES = ["number", "string", "boolean", "json", "media", "null", "mixed"] as const;
export const tableColumnSchema = z.object({
  name: z.string(),
  type: z.enum(TABLE_COLUMN_TYPES),
  /** For `media` columns: the `_type` of the cells (`image-file`, `audio-file`, …). */
  mediaType: z.string().optional(),
});
export type TableColumn = z.infer<typeof tableColumnSchema>;

/**
 * A version of a table key: the table logged at one step. `state`: `ready` (stored, queryable),
 * `waiting-for-file` (the history row arrived, the file not yet), `invalid` (the file is not a
 * table: `problem` says why).
 */
export const tableVersionSchema = z.object({
  step: z.number(),
  path: z.string(),
  sha256: z.string().nullable(),
  rows: z.number().int().nonnegative().nullable(),
  columns: z.number().int().nonnegative().nullable(),
  state: z.enum(["ready", "waiting-for-file", "invalid"]),
  problem: z.string().optional(),
});
export type TableVersion = z.infer<typeof tableVersionSchema>;
export const tableListResponseSchema = z.object({
  tables: z.array(z.object({ key: z.string(), versions: z.array(tableVersionSchema) })),
});
export type TableListResponse = z.infer<typeof tableListResponseSchema>;

export const TABLE_PAGE_MAX_ROWS = 1000;
export const TABLE_PAGE_DEFAULT_ROWS = 100;
export const TABLE_MAX_SORT_COLUMNS = 8;
/** A filter expression's length cap (table-filter.ts has the grammar). */
export const TABLE_FILTER_MAX_LENGTH = 4096;

const columnNameSchema = z.string().min(1).max(LIMITS.keyLength);
export const tableSortSchema = z
  .object({ column: columnNameSchema, desc: z.boolean().default(false) })
  .strict();

/**
 * Body of `POST …/tables/query`. `step`: the version (default: the latest step). `where`: a filter
 * expression (`acc > 0.9 and label in ("cat", "dog")`, see table-filter.ts). Rows come in `sort`
 * order, then in logged order. With `groupBy`, the page holds groups instead of rows: each
 * distinct value of the column with its row count and, per number column, min/max/mean.
 */
export const tableQuerySchema = z
  .object({
    key: keySchema,
    step: finite.optional(),
    where: z.string().max(TABLE_FILTER_MAX_LENGTH).optional(),
    sort: z.array(tableSortSchema).max(TABLE_MAX_SORT_COLUMNS).optional(),
    /** Columns to return (default all), in this order. */
    columns: z.array(columnNameSchema).max(10_000).optional(),
    groupBy: columnNameSchema.optional(),
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    limit: z.number().int().min(1).max(TABLE_PAGE_MAX_ROWS).default(TABLE_PAGE_DEFAULT_ROWS),
  })
  .strict();
export type TableQueryInput = z.input<typeof tableQuerySchema>;
export type TableQuery = z.output<typeof tableQuerySchema>;

export const tableGroupStatsSchema = z.object({
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
});
const tablePageCommon = {
  key: z.string(),
  step: z.number(),
  /** Every column of the table (typed), whatever `columns` asked for. */
  schema: z.array(tableColumnSchema),
  totalRows: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
};
/**
 * One page. `kind: "rows"`: `matchedRows` rows pass the filter; `rows[i].index` is the row's
 * 0-based place in the logged table and `rows[i].cells` its cells in `columns` order (media and
 * nested JSON as logged). `kind: "groups"`: `groupCount` groups in all.
 */
export const tablePageSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("rows"),
    ...tablePageCommon,
    columns: z.array(z.string()),
    matchedRows: z.number().int().nonnegative(),
    rows: z.array(z.object({ index: z.number().int().nonnegative(), cells: z.array(z.unknown()) })),
  }),
  z.object({
    kind: z.literal("groups"),
    ...tablePageCommon,
    groupBy: z.string(),
    matchedRows: z.number().int().nonnegative(),
    groupCount: z.number().int().nonnegative(),
    groups: z.array(
      z.object({
        value: z.unknown(),
        count: z.number().int().positive(),
        stats: z.record(z.string(), tableGroupStatsSchema),
      }),
    ),
  }),
]);
export type TablePage = z.infer<typeof tablePageSchema>;

export const TABLE_EXPORT_FORMATS = ["csv", "parquet"] as const;

/**
 * Query string of `GET …/tables/export`: `key`, `step` (default latest), `format` (csv, the
 * default, or parquet), `where` (a filter expression), `sort` (repeatable: `-score` descending,
 * `label` ascending), `columns` (repeatable; default all). Every matching row, no page limit.
 */
export const tableExportParamsSchema = z
  .object({
    key: keySchema,
    step: z.coerce.number().finite().optional(),
    format: z.enum(TABLE_EXPORT_FORMATS).default("csv"),
    where: z.string().max(TABLE_FILTER_MAX_LENGTH).optional(),
    sort: z
      .union([columnNameSchema, z.array(columnNameSchema).max(TABLE_MAX_SORT_COLUMNS)])
      .transform((s) => (Array.isArray(s) ? s : [s]))
      .optional(),
    columns: z
      .union([columnNameSchema, z.array(columnNameSchema).max(10_000)])
      .transform((s) => (Array.isArray(s) ? s : [s]))
      .optional(),
  })
  .strict();
export type TableExportParams = z.output<typeof tableExportParamsSchema>;

// ---------------------------------------------------------------------------------------------
// Chart presets and custom charts

/** `owner/name` or `owner/name/vN`: segments of letters, digits, `_`, `.` and `-`. */
export const PRESET_ID = /^[A-Za-z0-9_.-]{1,64}(\/[A-Za-z0-9_.-]{1,64}){1,2}$/;
/** Owners of built-in presets: a user preset cannot take them. */
export const BUILTIN_PRESET_OWNERS = ["stepwise", "wandb"] as const;
export const presetIdSchema = z
  .string()
  .regex(PRESET_ID, "is not a preset id (owner/name or owner/name/vN, letters, digits, _ . -)");

/** A field slot: `${field:<name>}` in the spec becomes the column bound to it. */
export const presetFieldSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    description: z.string().max(1000).default(""),
    required: z.boolean().default(true),
  })
  .strict();
/** A string slot: `${string:<name>}` in the spec becomes the text bound to it (or `default`). */
export const presetStringFieldSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    description: z.string().max(1000).default(""),
    default: z.string().max(10_000).default(""),
  })
  .strict();

/** Body of `PUT …/presets/:id`: a Vega-Lite spec whose data is `{ "name": "table" }`. */
export const presetPutBodySchema = z
  .object({
    name: z.string().min(1).max(256),
    description: z.string().max(10_000).default(""),
    fields: z.array(presetFieldSchema).max(64).default([]),
    stringFields: z.array(presetStringFieldSchema).max(64).default([]),
    /** Several runs' tables drawn in one chart (rows carry `_run` and `_runName`). */
    overlay: z.boolean().default(false),
    spec: z.record(z.string(), z.unknown()),
  })
  .strict();
export type PresetPutInput = z.input<typeof presetPutBodySchema>;
export type PresetPutBody = z.output<typeof presetPutBodySchema>;

export const chartPresetSchema = z.object({
  id: z.string(),
  builtin: z.boolean(),
  name: z.string(),
  description: z.string(),
  fields: z.array(presetFieldSchema),
  stringFields: z.array(presetStringFieldSchema),
  overlay: z.boolean(),
  spec: z.record(z.string(), z.unknown()),
  /** Unix seconds; null for built-ins. */
  createdAt: z.number().nullable(),
  updatedAt: z.number().nullable(),
});
export type ChartPreset = z.infer<typeof chartPresetSchema>;
export const presetListResponseSchema = z.object({ presets: z.array(chartPresetSchema) });
export type PresetListResponse = z.infer<typeof presetListResponseSchema>;

/** Body of `POST /presets/render`: a preset and its bindings. Answers the spec with the slots filled. */
export const presetRenderBodySchema = z
  .object({
    id: presetIdSchema,
    /** Field slot → column; null (or "") leaves an optional slot unbound. */
    fields: z.record(z.string(), z.string().max(LIMITS.keyLength).nullable()).default({}),
    stringFields: z.record(z.string(), z.string().max(10_000)).default({}),
  })
  .strict();
export type PresetRenderBody = z.output<typeof presetRenderBodySchema>;
export const presetRenderResponseSchema = z.object({
  id: z.string(),
  spec: z.record(z.string(), z.unknown()),
});
export type PresetRenderResponse = z.infer<typeof presetRenderResponseSchema>;

/**
 * A custom chart of a run (W&B's `_wandb.visualize.<key>` config entry): its preset, bindings,
 * the table key it draws (a history `table-file` key) and the rendered spec. `spec` is null and
 * `problem` says why when the preset is unknown or a bound column is missing.
 */
export const customChartSchema = z.object({
  key: z.string(),
  presetId: z.string(),
  fields: z.record(z.string(), z.string()),
  stringFields: z.record(z.string(), z.string()),
  tableKey: z.string(),
  spec: z.record(z.string(), z.unknown()).nullable(),
  problem: z.string().optional(),
});
export type CustomChart = z.infer<typeof customChartSchema>;
export const runChartsResponseSchema = z.object({ charts: z.array(customChartSchema) });
export type RunChartsResponse = z.infer<typeof runChartsResponseSchema>;

// ---------------------------------------------------------------------------------------------

const API = "/api/v1";
const enc = encodeURIComponent;
function runPath(ref: RunRef): string {
  return `${API}/runs/${enc(ref.entity)}/${enc(ref.project)}/${enc(ref.runId)}`;
}

/** URL builders for the structured routes. */
export const structuredPaths = {
  histogramKeys: (ref: RunRef): string => `${runPath(ref)}/histograms`,
  histograms: (ref: RunRef): string => `${runPath(ref)}/histograms/query`,
  tables: (ref: RunRef): string => `${runPath(ref)}/tables`,
  tableQuery: (ref: RunRef): string => `${runPath(ref)}/tables/query`,
  tableExport: (ref: RunRef): string => `${runPath(ref)}/tables/export`,
  charts: (ref: RunRef): string => `${runPath(ref)}/charts`,
  presets: (): string => `${API}/presets`,
  /** A preset id keeps its `/`s: `/api/v1/presets/stepwise/line/v0`. */
  preset: (id: string): string => `${API}/presets/${id.split("/").map(enc).join("/")}`,
  presetRender: (): string => `${API}/presets/render`,
};
