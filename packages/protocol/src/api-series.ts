/**
 * The query API's series wire types (api.ts): `POST /series` (downsampled series of many runs ×
 * keys) and `POST /series/keys` (the numeric keys the runs have logged, a page at a time).
 */
import { z } from "zod";
import { runRefSchema } from "./ingest.js";
import { LIMITS, NUL_KEY_MESSAGE } from "./limits.js";

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
