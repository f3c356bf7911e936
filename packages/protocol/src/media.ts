/**
 * The media API's wire types: what the server's media index answers about rich values logged in
 * history (images, audio, video, HTML, molecules, 3-D objects), the kinds of values each key has
 * held, and the thumbnails of large images.
 *
 * - `GET {apiPaths.media(entity, project)}?key&runs&step|minStep&maxStep…` (`mediaQuerySchema`):
 *   the items of one key for some runs at one step (exact, nearest, or the last at or before) or
 *   over a range of steps, each with the URLs to fetch its file and thumbnails.
 * - `GET {apiPaths.mediaSteps(entity, project)}?key&runs`: per run, the steps at which the key
 *   holds media (the slider's stops).
 * - `GET {apiPaths.keyKinds(entity, project)}?runs&key…`: per key, the kinds of values it held
 *   (`number`, `string`, `image-file`, `histogram`, `table-file`, …) and the panel each kind
 *   wants, so a key that changed type is shown with a warning instead of breaking its panel.
 * - `GET {apiPaths.thumbnail(run, size, path)}`: a large image scaled to fit `size`×`size`
 *   (WebP), made once and kept; a small image is answered as it is, never upscaled.
 *
 * History values keep W&B's JSON (reference § 8): `{"_type":"image-file","path":"media/images/
 * <key>_<step>_<sha20>.png","sha256",…}`; a list is one aggregate value (`images/separated`,
 * `audio`, `videos`, `html`, `molecule`, `object3D`) whose items get `index` 0, 1, ….
 */
import { z } from "zod";
import { API_PREFIX } from "./api.js";
import { runIdSchema, type RunRef } from "./ingest.js";
import { LIMITS, NUL_KEY_MESSAGE } from "./limits.js";

/** Media kinds the index knows: the `type` of a media item (an item of a list has its item's type). */
export const MEDIA_TYPES = ["image", "audio", "video", "html", "molecule", "object3D"] as const;
export const mediaTypeSchema = z.enum(MEDIA_TYPES);
export type MediaType = z.infer<typeof mediaTypeSchema>;

/** Longest side of a thumbnail, in pixels: a grid cell and a single enlarged view. */
export const THUMBNAIL_SIZES = [256, 1024] as const;
export type ThumbnailSize = (typeof THUMBNAIL_SIZES)[number];

/** At most this many runs in one media query (a comparison grid, not a project scan). */
export const MEDIA_QUERY_MAX_RUNS = 200;
/** At most this many items per answer; `nextStep` says where to go on. */
export const MEDIA_QUERY_MAX_ITEMS = 5_000;

/** Response header of a thumbnail: `hit` when it was served from the cache, `miss` when made now. */
export const THUMBNAIL_CACHE_HEADER = "x-thumbnail-cache";

const stepParamSchema = z
  .string()
  .regex(/^\d{1,16}$/, "a non-negative integer step")
  .transform(Number)
  .refine(Number.isSafeInteger, "a safe integer step");

/** At most this many runs in one key kinds query (a workspace's visible runs, as series keys allow). */
export const KEY_KINDS_MAX_RUNS = 1000;

function runListParamSchema(max: number) {
  return z
    .string()
    .min(1, "a comma list of run ids")
    .transform((s) => s.split(",").filter((id) => id.length > 0))
    .pipe(z.array(runIdSchema).min(1, "at least one run id").max(max));
}

const keyParamSchema = z
  .string()
  .min(1, "a history key")
  .max(LIMITS.keyLength * 4)
  .refine((key) => !key.includes("\u0000"), NUL_KEY_MESSAGE);

/**
 * How `step` picks each run's step: `exact` only that step; `nearest` the closest step holding
 * media (a tie takes the earlier); `before` the last step at or before it (the slider's rule: the
 * newest image that existed at that moment); `after` the first at or after it.
 */
export const STEP_MATCHES = ["exact", "nearest", "before", "after"] as const;
export type StepMatch = (typeof STEP_MATCHES)[number];

/**
 * Query string of `GET {apiPaths.media}`. Give `step` (with `match`, default `nearest`) or a
 * range (`minStep`, `maxStep`, both inclusive and optional: none is every step), never both.
 */
export const mediaQuerySchema = z
  .object({
    /** The history key (dotted path for a nested value, as series keys are named). */
    key: keyParamSchema,
    /** Comma list of run ids of this project. */
    runs: runListParamSchema(MEDIA_QUERY_MAX_RUNS),
    step: stepParamSchema.optional(),
    match: z.enum(STEP_MATCHES).default("nearest"),
    minStep: stepParamSchema.optional(),
    maxStep: stepParamSchema.optional(),
    /** Most items per run in a range query (default 1,000). */
    limit: z
      .string()
      .regex(/^\d{1,6}$/, "a positive integer")
      .transform(Number)
      .refine((n) => n >= 1 && n <= MEDIA_QUERY_MAX_ITEMS, `between 1 and ${MEDIA_QUERY_MAX_ITEMS}`)
      .optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.step !== undefined && (q.minStep !== undefined || q.maxStep !== undefined))
      ctx.addIssue({ code: "custom", path: ["step"], message: "give step or minStep/maxStep, not both" });
    if (q.minStep !== undefined && q.maxStep !== undefined && q.minStep > q.maxStep)
      ctx.addIssue({ code: "custom", path: ["minStep"], message: "is greater than maxStep" });
  });
export type MediaQuery = z.output<typeof mediaQuerySchema>;

/** A file the item refers to: a mask, the boxes of an image. `url` is null until the file arrived. */
export const mediaFileRefSchema = z.object({
  /** The name the user gave (`predictions`, `ground_truth`). */
  name: z.string(),
  path: z.string(),
  sha256: z.string().nullable(),
  url: z.string().nullable(),
  /** Class id → label when the value carries them inline; else null (the file or run config has them). */
  classLabels: z.record(z.string(), z.string()).nullable(),
});
export type MediaFileRef = z.infer<typeof mediaFileRefSchema>;

/** One media item: one value, or one item of a list value (`index` its place in the list). */
export const mediaItemSchema = z.object({
  runId: z.string(),
  key: z.string(),
  step: z.number(),
  /** Place in the list for a list value; 0 for a single value. */
  index: z.number().int().nonnegative(),
  type: mediaTypeSchema,
  /** The value's `_type` as logged (`image-file`, `images/separated`, `audio`, …). */
  valueType: z.string(),
  /** The file's path in the run (`media/images/…png`). */
  path: z.string(),
  /** The stored file's sha256 once it arrived, else the logged one (null for list items until then). */
  sha256: z.string().nullable(),
  size: z.number().nullable(),
  /** The file has arrived through the file channel: `url` can be fetched. */
  present: z.boolean(),
  /** Download URL of the file (the run file route), relative to the server. */
  url: z.string(),
  format: z.string().nullable(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  caption: z.string().nullable(),
  /** Thumbnail URLs by longest side (images only; null for other types or until the file arrived). */
  thumbnails: z.record(z.string(), z.string()).nullable(),
  masks: z.array(mediaFileRefSchema),
  boxes: z.array(mediaFileRefSchema),
  /** Type-specific numbers kept as logged: sampleRate, duration (audio), fps (video), grouping. */
  extra: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
});
export type MediaItem = z.infer<typeof mediaItemSchema>;

export const mediaQueryResponseSchema = z.object({
  key: z.string(),
  runs: z.array(
    z.object({
      runId: z.string(),
      /** False when no run of this id exists in the project (its `items` are empty). */
      found: z.boolean(),
      /** The step chosen for a `step` query (null when the run has no media for the key there). */
      step: z.number().nullable(),
      items: z.array(mediaItemSchema),
      /** A range query cut by `limit`: the first step left out. */
      nextStep: z.number().nullable(),
    }),
  ),
});
export type MediaQueryResponse = z.infer<typeof mediaQueryResponseSchema>;

export const mediaStepsQuerySchema = z
  .object({ key: keyParamSchema, runs: runListParamSchema(MEDIA_QUERY_MAX_RUNS) })
  .strict();
export type MediaStepsQuery = z.output<typeof mediaStepsQuerySchema>;

/** Per run, every step at which the key holds media, ascending, with the item count there. */
export const mediaStepsResponseSchema = z.object({
  key: z.string(),
  runs: z.array(
    z.object({
      runId: z.string(),
      found: z.boolean(),
      steps: z.array(z.number()),
      counts: z.array(z.number().int()),
    }),
  ),
});
export type MediaStepsResponse = z.infer<typeof mediaStepsResponseSchema>;

/**
 * The panel a kind of value wants. `chart` for numbers; `text` for strings and booleans; one
 * per media type; `histogram`, `table`, `plot` (plotly/bokeh/vega); `other` for the rest.
 */
export const PANEL_KINDS = ["chart", "text", ...MEDIA_TYPES, "histogram", "table", "plot", "other"] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];

export const keyKindsQuerySchema = z
  .object({
    /** Comma list of run ids; default every run of the project. */
    runs: runListParamSchema(KEY_KINDS_MAX_RUNS).optional(),
    /**
     * Comma-free: one key per `key` parameter, repeated. Without any, every key that held a
     * value other than a number is listed (numeric-only keys are the series keys).
     */
    key: z.union([keyParamSchema, z.array(keyParamSchema).max(1000)]).optional(),
  })
  .strict();
export type KeyKindsQuery = z.output<typeof keyKindsQuerySchema>;

export const keyKindSchema = z.object({
  /** `number`, `string`, `boolean`, `array`, or the value's `_type` (`image-file`, `histogram`, …). */
  kind: z.string(),
  panel: z.enum(PANEL_KINDS),
  /** Runs (of those asked) in which the key held this kind. */
  runs: z.number().int(),
  /** Values of this kind over those runs. */
  count: z.number().int(),
  firstStep: z.number().nullable(),
  lastStep: z.number().nullable(),
});
export type KeyKind = z.infer<typeof keyKindSchema>;

export const keyKindsResponseSchema = z.object({
  keys: z.array(
    z.object({
      key: z.string(),
      /** Ordered by first step: the kind the key started with first. */
      kinds: z.array(keyKindSchema),
      /** The kinds want more than one panel: show the key with a warning. */
      mixed: z.boolean(),
    }),
  ),
});
export type KeyKindsResponse = z.infer<typeof keyKindsResponseSchema>;

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

export const mediaPaths = {
  media: (entity: string, project: string): string => `${API_PREFIX}/media/${enc(entity)}/${enc(project)}`,
  mediaSteps: (entity: string, project: string): string =>
    `${API_PREFIX}/media/${enc(entity)}/${enc(project)}/steps`,
  keyKinds: (entity: string, project: string): string =>
    `${API_PREFIX}/key-kinds/${enc(entity)}/${enc(project)}`,
  thumbnail: (ref: RunRef, size: ThumbnailSize, path: string): string =>
    `${API_PREFIX}/runs/${enc(ref.entity)}/${enc(ref.project)}/${enc(ref.runId)}/thumbnails/${size}/${path
      .split("/")
      .map(enc)
      .join("/")}`,
};
