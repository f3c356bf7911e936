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
  width: number;
  height: number;
  pixels: ImageData;
  masks: Record<string, ImageData>;
  boxes: Record<string, BoxSet>;
}

const layers = new Map<string, Promise<ImageLayers>>();
const LAYER_ENTRIES = 500;

export function loadImageLayers(ref: RunRef, item: MediaItem): Promise<ImageLayers> {
  const id = `${ref.entity}\u0000${ref.project}\u0000${ref.runId}\u0000${item.path}`;
  let pending = layers.get(id);
  if (pending === undefined) {
    pending = build(ref, item);
    pending.catch(() => layers.delete(id));
    layers.set(id, pending);
    if (layers.size > LAYER_ENTRIES) layers.delete(layers.keys().next().value as string);
  }
  return pending;
}

async function build(ref: RunRef, item: MediaItem): Promise<ImageLayers> {
  const image = await bitmapOf(await loadFileUrl(ref, item.path, mediaType(item.path)));
  const { width, height } = image;
  const pixels = pixelsOf(image, width, height);
  const masks: Record<string, ImageData> = {};
  for (const [name, path] of Object.entries(item.masks ?? {}))
    masks[name] = pixelsOf(await bitmapOf(await loadFileUrl(ref, path, "image/png")), width, height);
  const boxes: Record<string, BoxSet> = {};
  for (const [name, path] of Object.entries(item.boxes ?? {}))
    boxes[name] = parseBoxes(JSON.parse(await loadFileText(ref, path)) as unknown, width, height);
  return { width, height, pixels, masks, boxes };
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
