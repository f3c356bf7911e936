/**
 * Many media files in one response: `POST {mediaBatchPaths.files(entity, project)}` with
 * `{ items: [{ run, key, step, index }, …] }` (a media item as the media index names it) answers
 * the stored bytes of each item's file, in request order, so that a panel showing one step of 20
 * runs asks once instead of queuing 20 file requests on the browser's 6 connections.
 *
 * The response (`MEDIA_BATCH_CONTENT_TYPE`) is
 *   uint32 big-endian N | N bytes of UTF-8 JSON (`MediaBatchHeader`) | the files' bytes, one after
 *   the other;
 * each `ok` entry says where its bytes are (`offset` from the first byte after the header, and
 * `size`); an entry that is not `ok` has no bytes and says why (`missing`: no such run, no media
 * of the key at that step, no item at that index, or its file has not arrived yet; `skipped`:
 * past the batch's byte budget, fetch its `url` instead). At most MEDIA_BATCH_MAX_ITEMS items,
 * and at most MEDIA_BATCH_MAX_BYTES of files are sent in one answer.
 */
import { z } from "zod";
import { API_PREFIX } from "./api.js";
import { runIdSchema } from "./ingest.js";
import { LIMITS } from "./limits.js";

/** At most this many items per batch (a grid of runs × images at one step). */
export const MEDIA_BATCH_MAX_ITEMS = 256;
/** At most this many bytes of files per answer; the items past it are `skipped` (fetch their `url`). */
export const MEDIA_BATCH_MAX_BYTES = 32 * 1024 * 1024;
export const MEDIA_BATCH_CONTENT_TYPE = "application/vnd.stepwise.media-batch";

export const mediaBatchItemSchema = z
  .object({
    run: runIdSchema,
    /** The history key (dotted path for a nested value). */
    key: z
      .string()
      .min(1, "a history key")
      .max(LIMITS.keyLength * 4),
    step: z.number().int("an integer step").nonnegative("a non-negative step").max(Number.MAX_SAFE_INTEGER),
    /** Place in the list for a list value; 0 for a single value. */
    index: z.number().int("an integer index").nonnegative("a non-negative index").max(1_000_000),
  })
  .strict();
export type MediaBatchItem = z.infer<typeof mediaBatchItemSchema>;

export const mediaBatchRequestSchema = z
  .object({
    items: z
      .array(mediaBatchItemSchema)
      .min(1, "at least one item")
      .max(MEDIA_BATCH_MAX_ITEMS, `at most ${MEDIA_BATCH_MAX_ITEMS} items per batch`),
  })
  .strict();
export type MediaBatchRequest = z.infer<typeof mediaBatchRequestSchema>;

export const mediaBatchEntrySchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("ok"),
    path: z.string(),
    sha256: z.string(),
    size: z.number().int().nonnegative(),
    offset: z.number().int().nonnegative(),
  }),
  z.object({
    status: z.enum(["missing", "skipped"]),
    /** The item's file path when the index has the item. */
    path: z.string().nullable(),
    /** Its file's URL (`skipped` items: fetch it there), null when there is none. */
    url: z.string().nullable(),
    reason: z.string(),
  }),
]);
export type MediaBatchEntry = z.infer<typeof mediaBatchEntrySchema>;

/** The JSON header: one entry per item asked, in request order. */
export const mediaBatchHeaderSchema = z.object({ items: z.array(mediaBatchEntrySchema) });
export type MediaBatchHeader = z.infer<typeof mediaBatchHeaderSchema>;

/** The header's length prefix, then the header, then the files. */
export function encodeMediaBatchHeader(header: MediaBatchHeader): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + json.length);
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  return out;
}

/** A batch answer read: its entries, and each `ok` entry's bytes (a view into `body`, not a copy). */
export function decodeMediaBatch(body: Uint8Array): {
  items: MediaBatchEntry[];
  bytes: (i: number) => Uint8Array | null;
} {
  if (body.length < 4) throw new Error("media batch: the answer is shorter than its length prefix");
  const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0);
  if (4 + length > body.length) throw new Error("media batch: the answer is shorter than its header");
  const header = mediaBatchHeaderSchema.parse(
    JSON.parse(new TextDecoder().decode(body.subarray(4, 4 + length))),
  );
  const start = 4 + length;
  return {
    items: header.items,
    bytes: (i) => {
      const entry = header.items[i];
      if (entry === undefined || entry.status !== "ok") return null;
      if (start + entry.offset + entry.size > body.length)
        throw new Error(`media batch: item ${i}'s bytes run past the end of the answer`);
      return body.subarray(start + entry.offset, start + entry.offset + entry.size);
    },
  };
}

export const mediaBatchPaths = {
  files: (entity: string, project: string): string =>
    `${API_PREFIX}/media/${encodeURIComponent(entity)}/${encodeURIComponent(project)}/files`,
};
