/**
 * What an `Image` source becomes at log(): a PNG to encode from copied pixels (nested arrays,
 * `{ data, shape }`, tensor-likes; last dimension 1/3/4 → L/RGB/RGBA after numpy's squeeze),
 * encoded bytes copied as they are (PNG/JPEG/GIF/BMP/WebP, format and size read from the
 * header), or a file copied now. Float data is scaled as W&B does (reference §8.1).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { InvalidDataError } from "@stepwise/protocol";
import { isShapedSource, readArray, type ShapedSource } from "./array-input.js";
import { checkMediaFile, stageCopy } from "./media-file.js";
import { readImageHeader } from "./image-header.js";
import type { FileContent, PixelScale } from "./logged-value.js";

export type ImageMode = "L" | "RGB" | "RGBA";
export type ImageSource = string | Uint8Array | ShapedSource;

export const IMAGE_FILE_TYPES = ["png", "jpg", "jpeg", "gif", "bmp", "webp"] as const;
const CHANNELS_OF: Record<ImageMode, 1 | 3 | 4> = { L: 1, RGB: 3, RGBA: 4 };

export interface ImagePixelsOptions {
  mode?: ImageMode | undefined;
  /** Scale data as W&B does (default true); false: plain cast to uint8. */
  normalize?: boolean | undefined;
}

export interface ImageFile {
  content: FileContent;
  /** Extension without the dot (W&B's `format`). */
  format: string;
  width: number;
  height: number;
  /** True when the data's range was outside [0, 255] (W&B warns once). */
  outOfRange: boolean;
}

export function imageFile(source: unknown, options: ImagePixelsOptions, what: string): ImageFile {
  if (typeof source === "string") return imageFromPath(source, what);
  if (source instanceof Uint8Array && !isShapedSource(source)) return imageFromBytes(source, what);
  if (isShapedSource(source)) return imageFromArray(source, options, what);
  throw new InvalidDataError(
    `${what}: give a file path, encoded PNG/JPEG/GIF bytes (Uint8Array), nested arrays [h][w] or [h][w][c], ` +
      "{ data, shape } or a tensor with shape and dataSync()",
  );
}

function imageFromPath(path: string, what: string): ImageFile {
  if (/^(https?|s3|gs):\/\//i.test(path))
    throw new InvalidDataError(
      `${what}: "${path}" is a URL; an image logged to a run must be a local file or pixel data (download it first)`,
    );
  const ext = checkMediaFile(path, what, IMAGE_FILE_TYPES);
  const header = readImageHeader(readHead(path));
  return {
    content: { kind: "copy", local: stageCopy(path) },
    format: ext,
    width: header?.width ?? 0,
    height: header?.height ?? 0,
    outOfRange: false,
  };
}

function readHead(path: string): Uint8Array {
  // Enough for every header above (a JPEG's SOF usually follows within 64 KiB); only that is read.
  const head = new Uint8Array(1 << 16);
  const fd = openSync(path, "r");
  try {
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
}

function imageFromBytes(bytes: Uint8Array, what: string): ImageFile {
  const header = readImageHeader(bytes);
  if (header === null)
    throw new InvalidDataError(
      `${what}: the bytes are not a PNG, JPEG, GIF, BMP or WebP file; raw pixels need a shape: { data, shape: [h, w, c] }`,
    );
  return {
    content: { kind: "bytes", bytes: new Uint8Array(bytes) },
    format: header.format,
    width: header.width,
    height: header.height,
    outOfRange: false,
  };
}

function imageFromArray(source: ShapedSource, options: ImagePixelsOptions, what: string): ImageFile {
  const array = readArray(source, what);
  const shape = imageShape(array.shape);
  if (shape.length > 3 || shape.length < 2)
    throw new InvalidDataError(
      `${what}: un-supported shape [${array.shape.join(", ")}] for an image; give [h, w] or [h, w, c] with c = 1, 3 or 4 (channels last)`,
    );
  const [height, width] = shape as [number, number];
  const channels = shape.length === 2 ? 1 : (shape[2] as number);
  if (channels !== 1 && channels !== 3 && channels !== 4)
    throw new InvalidDataError(
      `${what}: un-supported shape [${array.shape.join(", ")}]: the last dimension must be 1 (L), 3 (RGB) or 4 (RGBA) channels; ` +
        "channels-first data (c, h, w) must be transposed to (h, w, c)",
    );
  if (width === 0 || height === 0)
    throw new InvalidDataError(`${what}: the image has no pixels (shape [${array.shape.join(", ")}])`);
  if (options.mode !== undefined && CHANNELS_OF[options.mode] !== channels)
    throw new InvalidDataError(
      `${what}: mode "${options.mode}" needs ${CHANNELS_OF[options.mode]} channels, the data has ${channels}; leave mode out to take it from the data`,
    );
  const scale = pixelScale(array.values, array.min, array.max, options.normalize ?? true);
  return {
    content: { kind: "png", width, height, channels, pixels: array.values, scale },
    format: "png",
    width,
    height,
    outOfRange: !(array.values instanceof Uint8Array) && (array.min < 0 || array.max > 255),
  };
}

/**
 * The [h, w] or [h, w, c] of an image's data: leading dimensions of size 1 (a batch of one) are
 * dropped. numpy's squeeze, which W&B applies, would also drop a height or width of 1 and turn a
 * 1×n RGB image into a grey one; this keeps them.
 */
export function imageShape(shape: readonly number[]): number[] {
  const out = [...shape];
  while (out.length > 3 && out[0] === 1) out.shift();
  return out;
}

/** W&B's rule (reference §8.1), decided from the range found while copying. */
export function pixelScale(
  values: ArrayLike<number>,
  min: number,
  max: number,
  normalize: boolean,
): PixelScale {
  if (!normalize) return "cast";
  if (values instanceof Uint8Array) return "auto";
  if (min >= 0 && max <= 1) return "unit";
  if (min >= -1 && max <= 1) return "signed";
  return "clip";
}
