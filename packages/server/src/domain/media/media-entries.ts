/**
 * The media items of one logged value, read from W&B's history JSON (reference § 8): a single
 * value (`image-file`, `audio-file`, `video-file`, `html-file`, `molecule-file`,
 * `object3D-file`) is one item; a list value (`images/separated`, `audio`, `videos`, `html`,
 * `molecule`, `object3D`) or a JSON array of single values is one item per element, `index`
 * its place. A value that is not media, or lacks a usable file path, gives no items (its kind
 * is still recorded by the key kinds index).
 */
import { filePathSchema, type MediaType } from "@stepwise/protocol";

export interface MediaFileEntry {
  name: string;
  path: string;
  sha256: string | null;
  classLabels: Record<string, string> | null;
}

export interface MediaEntry {
  index: number;
  type: MediaType;
  valueType: string;
  path: string;
  sha256: string | null;
  size: number | null;
  format: string | null;
  width: number | null;
  height: number | null;
  caption: string | null;
  masks: MediaFileEntry[];
  boxes: MediaFileEntry[];
  extra: Record<string, number | string | boolean | null>;
}

const SINGLE: Readonly<Record<string, MediaType>> = {
  "image-file": "image",
  "audio-file": "audio",
  "video-file": "video",
  "html-file": "html",
  "molecule-file": "molecule",
  "object3D-file": "object3D",
};

/** Captions and labels are cut here: the index answers a grid, not an essay. */
const MAX_TEXT = 4096;
/** A list's items are capped like the reference caps images per list (108), with room to spare. */
const MAX_ITEMS = 1024;

type Json = Record<string, unknown>;

export function mediaEntries(value: unknown): MediaEntry[] {
  if (Array.isArray(value)) {
    const out: MediaEntry[] = [];
    for (let i = 0; i < value.length && i < MAX_ITEMS; i++) {
      const item = isObject(value[i]) ? single(value[i] as Json, i) : null;
      if (item) out.push(item);
    }
    return out;
  }
  if (!isObject(value)) return [];
  const type = value._type;
  if (typeof type !== "string") return [];
  if (type in SINGLE) {
    const item = single(value, 0);
    return item ? [item] : [];
  }
  switch (type) {
    case "images/separated":
      return separatedImages(value);
    case "audio":
      return nested(value, "audio", "sampleRates", "durations");
    case "videos":
      return nested(value, "videos");
    case "html":
      return nested(value, "html");
    case "molecule":
      return fileList(value, "molecule", "");
    case "object3D":
      return fileList(value, "object3D", "media/object3D/");
    default:
      return [];
  }
}

function single(value: Json, index: number): MediaEntry | null {
  const type = SINGLE[value._type as string];
  const path = filePath(value.path);
  if (type === undefined || path === null) return null;
  const extra: MediaEntry["extra"] = {};
  for (const name of ["grouping", "fps", "sampleRate", "duration"]) {
    const v = value[name];
    if (typeof v === "number" && Number.isFinite(v)) extra[name] = v;
  }
  return {
    index,
    type,
    valueType: value._type as string,
    path,
    sha256: text(value.sha256),
    size: count(value.size),
    format: text(value.format) ?? extension(path),
    width: count(value.width),
    height: count(value.height),
    caption: text(value.caption),
    masks: files(value.masks),
    boxes: files(value.boxes),
    extra,
  };
}

function separatedImages(value: Json): MediaEntry[] {
  const names: unknown[] = Array.isArray(value.filenames) ? value.filenames : [];
  const captions: unknown[] = Array.isArray(value.captions) ? value.captions : [];
  const allMasks: unknown[] = Array.isArray(value.all_masks) ? value.all_masks : [];
  const allBoxes: unknown[] = Array.isArray(value.all_boxes) ? value.all_boxes : [];
  const out: MediaEntry[] = [];
  for (let i = 0; i < names.length && i < MAX_ITEMS; i++) {
    const path = filePath(names[i]);
    if (path === null) continue;
    out.push({
      index: i,
      type: "image",
      valueType: "images/separated",
      path,
      sha256: null,
      size: null,
      // The list's width, height and format are the first image's (reference § 8.1).
      format: text(value.format) ?? extension(path),
      width: count(value.width),
      height: count(value.height),
      caption: text(captions[i]),
      masks: files(allMasks[i]),
      boxes: files(allBoxes[i]),
      extra: {},
    });
  }
  return out;
}

/** `audio`, `videos`, `html` lists: their items are whole single values. */
function nested(value: Json, field: string, ...perItem: string[]): MediaEntry[] {
  const items = Array.isArray(value[field]) ? (value[field] as unknown[]) : [];
  const captions: unknown[] = Array.isArray(value.captions) ? value.captions : [];
  const out: MediaEntry[] = [];
  for (let i = 0; i < items.length && i < MAX_ITEMS; i++) {
    const item = isObject(items[i]) ? single(items[i] as Json, i) : null;
    if (!item) continue;
    item.valueType = value._type as string;
    item.caption ??= text(captions[i]);
    for (const name of perItem) {
      const list = value[name];
      const v = Array.isArray(list) ? (list[i] as unknown) : undefined;
      // sampleRates → sampleRate, durations → duration.
      if (typeof v === "number" && Number.isFinite(v)) item.extra[name.replace(/s$/, "")] = v;
    }
    out.push(item);
  }
  return out;
}

/** `molecule` and `object3D` lists: file names, under `prefix` when relative to it. */
function fileList(value: Json, type: MediaType, prefix: string): MediaEntry[] {
  const names: unknown[] = Array.isArray(value.filenames) ? value.filenames : [];
  const captions: unknown[] = Array.isArray(value.captions) ? value.captions : [];
  const out: MediaEntry[] = [];
  for (let i = 0; i < names.length && i < MAX_ITEMS; i++) {
    const name = names[i];
    const full = typeof name === "string" && !name.startsWith("media/") ? prefix + name : name;
    const path = filePath(full);
    if (path === null) continue;
    out.push({
      index: i,
      type,
      valueType: value._type as string,
      path,
      sha256: null,
      size: null,
      format: extension(path),
      width: null,
      height: null,
      caption: text(captions[i]),
      masks: [],
      boxes: [],
      extra: {},
    });
  }
  return out;
}

/** `masks` / `boxes` of an image: `{ name: { _type, path, sha256, class_labels? } }`. */
function files(value: unknown): MediaFileEntry[] {
  if (!isObject(value)) return [];
  const out: MediaFileEntry[] = [];
  for (const [name, ref] of Object.entries(value)) {
    if (!isObject(ref)) continue;
    const path = filePath(ref.path);
    if (path === null) continue;
    out.push({ name: name.slice(0, MAX_TEXT), path, sha256: text(ref.sha256), classLabels: labels(ref) });
  }
  return out;
}

function labels(ref: Json): Record<string, string> | null {
  const raw = ref.class_labels ?? ref.classLabels;
  if (!isObject(raw)) return null;
  const out: Record<string, string> = {};
  for (const [id, label] of Object.entries(raw))
    if (typeof label === "string") out[id] = label.slice(0, MAX_TEXT);
  return out;
}

function filePath(value: unknown): string | null {
  return typeof value === "string" && filePathSchema.safeParse(value).success ? value : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value.slice(0, MAX_TEXT) : null;
}

function count(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function extension(path: string): string | null {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.indexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : null;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
