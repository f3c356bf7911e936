/**
 * The layers an image item is drawn from, loaded once per file and cached: the image as a
 * bitmap with its RGBA pixels, each mask's pixels scaled to the image's size (nearest
 * neighbour, so class ids stay whole), each box set parsed into pixel rectangles.
 */
import type { RunRef } from "@stepwise/protocol";
import { parseBoxes, type BoxSet } from "../../lib/media-boxes.js";
import type { MediaItem } from "../../lib/media-values.js";
import { loadFileText, loadFileUrl, mediaType } from "./media-cache.js";

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

const layers = new Map<string, Promise<ImageLayers>>();
const LAYER_ENTRIES = 500;

/** `full`: the logged image itself rather than its thumbnail (for a zoomed-in view). */
export function loadImageLayers(ref: RunRef, item: MediaItem, full = false): Promise<ImageLayers> {
  const source = full || item.thumbnail === undefined ? "full" : "thumbnail";
  const id = `${ref.entity}\u0000${ref.project}\u0000${ref.runId}\u0000${item.path}\u0000${source}`;
  let pending = layers.get(id);
  if (pending === undefined) {
    pending = build(ref, item, source === "thumbnail" ? item.thumbnail : item.url);
    pending.catch(() => layers.delete(id));
    layers.set(id, pending);
    if (layers.size > LAYER_ENTRIES) layers.delete(layers.keys().next().value as string);
  }
  return pending;
}

async function build(ref: RunRef, item: MediaItem, url: string | undefined): Promise<ImageLayers> {
  // A thumbnail is WebP whatever the image's format.
  const type = url !== undefined && url === item.thumbnail ? "image/webp" : mediaType(item.path);
  const image = await bitmapOf(await loadFileUrl(ref, item.path, type, url));
  const { width, height } = image;
  // Boxes in pixels are in the logged image's pixels: scaled to the bitmap drawn.
  const scale = width / (item.width ?? width);
  const pixels = Object.keys(item.masks ?? {}).length > 0 ? pixelsOf(image, width, height) : null;
  const masks: Record<string, ImageData> = {};
  for (const [name, path] of Object.entries(item.masks ?? {}))
    masks[name] = pixelsOf(await bitmapOf(await loadFileUrl(ref, path, "image/png")), width, height);
  const boxes: Record<string, BoxSet> = {};
  for (const [name, path] of Object.entries(item.boxes ?? {}))
    boxes[name] = scaled(
      parseBoxes(JSON.parse(await loadFileText(ref, path)) as unknown, width / scale, height / scale),
      scale,
    );
  return { width, height, bitmap: image, pixels, masks, boxes };
}

async function bitmapOf(url: string): Promise<ImageBitmap> {
  return createImageBitmap(await (await fetch(url)).blob());
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
