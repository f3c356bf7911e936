/**
 * Segmentation masks of an Image (W&B's ImageMask, reference §8.1): `{ name: { maskData,
 * classLabels? } }` (or W&B's `mask_data`/`class_labels`, or `{ path }` of a PNG). Each mask is a
 * 2-D array of integer class ids 0–255 of the image's height and width, written as an 8-bit
 * grayscale PNG `media/images/mask/<key>_<step>_<sha20>.mask.png`; its JSON is
 * `{"_type":"mask","sha256","size","path"}`; class labels (default `class_<id>` for each id present)
 * go once per run into `config._wandb["mask/class_labels"]["<key>_wandb_delimeter_<name>"]`.
 */
import { readFileSync } from "node:fs";
import { InvalidDataError } from "@stepwise/protocol";
import { isShapedSource, readArray } from "./array-input.js";
import { imageShape } from "./image-source.js";
import { checkMediaFile, stageCopy } from "./media-file.js";
import { readImageHeader } from "./image-header.js";
import type { ConfigEntry, LoggedFile } from "./logged-value.js";

export interface MaskInput {
  maskData?: unknown;
  mask_data?: unknown;
  path?: string;
  classLabels?: Record<number, string>;
  class_labels?: Record<number, string>;
}

export interface PreparedMask {
  name: string;
  file: LoggedFile;
  classLabels: Record<string, string>;
}

export function prepareMasks(masks: unknown, width: number, height: number, what: string): PreparedMask[] {
  if (masks === undefined) return [];
  if (typeof masks !== "object" || masks === null || Array.isArray(masks))
    throw new InvalidDataError(`${what}: masks must be an object { name: { maskData, classLabels } }`);
  return Object.entries(masks as Record<string, unknown>).map(([name, mask]) =>
    prepareMask(name, mask, width, height, `${what}: mask "${name}"`),
  );
}

function prepareMask(name: string, mask: unknown, width: number, height: number, what: string): PreparedMask {
  if (typeof mask !== "object" || mask === null)
    throw new InvalidDataError(`${what} must be an object { maskData, classLabels } or { path }`);
  const input = mask as MaskInput;
  const labels = checkClassLabels(input.classLabels ?? input.class_labels, what);
  const data = input.maskData ?? input.mask_data;
  if (data === undefined && typeof input.path === "string") {
    checkMediaFile(input.path, what, ["png"]);
    const header = readImageHeader(readFileSync(input.path).subarray(0, 64));
    if (header !== null && (header.width !== width || header.height !== height))
      throw sizeError(what, header.width, header.height, width, height);
    const file: LoggedFile = {
      dir: "media/images/mask",
      ext: ".mask.png",
      content: { kind: "copy", local: stageCopy(input.path) },
    };
    return { name, file, classLabels: labels ?? {} };
  }
  if (!isShapedSource(data))
    throw new InvalidDataError(
      `${what}: maskData must be a 2-D array of class ids (nested arrays or { data, shape: [h, w] })`,
    );
  const array = readArray(data, what);
  const shape = imageShape(array.shape);
  if (shape.length === 3 && shape[2] === 1) shape.pop();
  if (shape.length !== 2)
    throw new InvalidDataError(`${what}: maskData must be a 2D array, got shape [${array.shape.join(", ")}]`);
  const [rows, columns] = shape as [number, number];
  if (rows !== height || columns !== width) throw sizeError(what, columns, rows, width, height);
  const ids = new Uint8Array(array.values.length);
  const present = new Set<number>();
  for (let i = 0; i < ids.length; i++) {
    const v = array.values[i] as number;
    if (!Number.isInteger(v) || v < 0 || v > 255)
      throw new InvalidDataError(
        `${what}: value ${i} is ${v}; mask values are integer class ids from 0 to 255`,
      );
    ids[i] = v;
    present.add(v);
  }
  const classLabels =
    labels ?? Object.fromEntries([...present].sort((a, b) => a - b).map((id) => [String(id), `class_${id}`]));
  const file: LoggedFile = {
    dir: "media/images/mask",
    ext: ".mask.png",
    content: { kind: "png", width, height, channels: 1, pixels: ids, scale: "none" },
  };
  return { name, file, classLabels };
}

function sizeError(what: string, w: number, h: number, width: number, height: number): InvalidDataError {
  return new InvalidDataError(
    `${what} is ${w}×${h} but the image is ${width}×${height} (width×height); a mask needs one class id per pixel of the image`,
  );
}

/** Checks `{ id: name }` (integer ids, string names); undefined when none were given. */
export function checkClassLabels(labels: unknown, what: string): Record<string, string> | undefined {
  if (labels === undefined) return undefined;
  const entries =
    labels instanceof Map
      ? [...(labels as Map<unknown, unknown>)]
      : typeof labels === "object" && labels !== null
        ? Object.entries(labels)
        : null;
  if (entries === null)
    throw new InvalidDataError(`${what}: classLabels must be an object { 0: "background", 1: "cat" }`);
  const out: Record<string, string> = {};
  for (const [id, name] of entries) {
    if (!Number.isInteger(Number(id)) || typeof name !== "string")
      throw new InvalidDataError(
        `${what}: class labels must map integer ids to strings, got ${JSON.stringify(id)} → ${JSON.stringify(name)}`,
      );
    out[String(id)] = name;
  }
  return out;
}

/** The config singleton W&B keeps for each mask or box set: `{ type, key, value }`. */
export function classLabelsConfig(
  type: "mask/class_labels" | "bounding_box/class_labels",
  name: string,
  labels: Record<string, string>,
): ConfigEntry {
  const id = (key: string): string => `${key}_wandb_delimeter_${name}`;
  return {
    path: (key) => ["_wandb", type, id(key)],
    value: labels,
    valueFor: (key) => ({ type, key: id(key), value: labels }),
  };
}
