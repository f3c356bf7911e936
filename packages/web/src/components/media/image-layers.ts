/**
 * The layers an image item is drawn from, loaded once per file and cached: the image as a
 * bitmap with its RGBA pixels, each mask's pixels scaled to the image's size (nearest
 * neighbour, so class ids stay whole), each box set parsed into pixel rectangles.
 */
import type { RunRef } from "@stepwise/protocol";
import { parseBoxes, type BoxSet } from "../../lib/media-boxes.js";
import type { MediaItem } from "../../lib/media-values.js";
import { fetchFile, send } from "../../api/client.js";
import { joined, type Cached } from "../../lib/called-off.js";
import type { LoadOptions } from "./media-api.js";
import { loadBatchedFile, type IndexedAt } from "./media-batch.js";
import { loadFileText, mediaType } from "./media-cache.js";

export interface ImageLayers {
  /** The size of the bitmap drawn: the thumbnail's, or the image's own when it is small or zoomed into. */
  width: number;
  height: number;
  bitmap: ImageBitmap;
  /** The RGBA pixels, read only when there are masks to blend (a read-back costs more than the draw). */
  pixels: ImageData | null;
  masks: Record<string, ImageData>;
  boxes: Record<string, BoxSet>;
}

const layers = new Map<string, Cached<ImageLayers>>();
/** Decoded images kept, least recently drawn dropped: the step shown and those fetched either side of it. */
const LAYER_ENTRIES = 600;

/**
 * `full`: the logged image itself rather than its thumbnail (for a zoomed-in view). `options`:
 * the request's priority, and the signal that calls it off (lib/called-off.ts).
 */
export function loadImageLayers(
  ref: RunRef,
  item: MediaItem,
  full = false,
  options: LoadOptions = {},
): Promise<ImageLayers> {
  const source = full || item.thumbnail === undefined ? "full" : "thumbnail";
  const id = `${ref.entity}\u0000${ref.project}\u0000${ref.runId}\u0000${item.path}\u0000${source}`;
  const known = layers.get(id);
  if (known !== undefined) {
    layers.delete(id);
    layers.set(id, known);
    return joined(known, options.signal, () => loadImageLayers(ref, item, full, options));
  }
  const built = build(ref, item, source === "thumbnail" ? item.thumbnail : item.url, options);
  built.catch(() => layers.get(id)?.promise === built && layers.delete(id));
  layers.set(id, { promise: built, signal: options.signal });
  if (layers.size > LAYER_ENTRIES) layers.delete(layers.keys().next().value as string);
  return built;
}

/** The load of an image's layers that a canvas started, if any (starts none). */
export function startedLayers(ref: RunRef, item: MediaItem): Promise<ImageLayers> | undefined {
  const at = `${ref.entity}\u0000${ref.project}\u0000${ref.runId}\u0000${item.path}\u0000`;
  return (layers.get(`${at}thumbnail`) ?? layers.get(`${at}full`))?.promise;
}

async function build(
  ref: RunRef,
  item: MediaItem,
  url: string | undefined,
  options: LoadOptions,
): Promise<ImageLayers> {
  // A thumbnail is WebP whatever the image's format.
  const type = url !== undefined && url === item.thumbnail ? "image/webp" : mediaType(item.path);
  // The logged file of an indexed item comes in a batch with the others asked for meanwhile.
  const at = url === item.url ? item.at : undefined;
  const image = await bitmapOf(ref, item.path, type, url, options, at);
  const { width, height } = image;
  // Boxes in pixels are in the logged image's pixels: scaled to the bitmap drawn.
  const scale = width / (item.width ?? width);
  const pixels = Object.keys(item.masks ?? {}).length > 0 ? pixelsOf(image, width, height) : null;
  const masks: Record<string, ImageData> = {};
  for (const [name, path] of Object.entries(item.masks ?? {}))
    masks[name] = pixelsOf(await bitmapOf(ref, path, "image/png", undefined, options), width, height);
  const boxes: Record<string, BoxSet> = {};
  for (const [name, path] of Object.entries(item.boxes ?? {}))
    boxes[name] = scaled(
      parseBoxes(JSON.parse(await loadFileText(ref, path)) as unknown, width / scale, height / scale),
      scale,
    );
  return { width, height, bitmap: image, pixels, masks, boxes };
}

/**
 * A run file decoded to a bitmap, straight from the response's bytes (typed `type`: the
 * server's own type is never trusted); the decoded image is what the cache above keeps. `at`:
 * the file comes in a batch (media-batch.ts).
 */
async function bitmapOf(
  ref: RunRef,
  path: string,
  type: string,
  url: string | undefined,
  { priority = "auto", signal }: LoadOptions,
  at?: IndexedAt,
): Promise<ImageBitmap> {
  if (at !== undefined) {
    const bytes = await loadBatchedFile(ref, at, path, url, priority, signal);
    return createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  }
  const init = { priority };
  const response = await (url === undefined ? fetchFile(ref, path, init, signal) : send(url, init, signal));
  return createImageBitmap(new Blob([await response.arrayBuffer()], { type }));
}

function pixelsOf(bitmap: ImageBitmap, width: number, height: number): ImageData {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (ctx === null) throw new Error("this browser has no 2D canvas");
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bitmap, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height);
}

function scaled(set: BoxSet, scale: number): BoxSet {
  if (scale === 1) return set;
  const boxes = set.boxes.map((b) => ({
    ...b,
    x: b.x * scale,
    y: b.y * scale,
    width: b.width * scale,
    height: b.height * scale,
  }));
  return { ...set, boxes };
}
