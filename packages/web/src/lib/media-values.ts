/**
 * Media values as W&B writes them into history rows (reference § 8): `image-file`,
 * `images/separated`, `audio-file` / `audio`, `video-file` / `videos`, `html-file` / `html`,
 * `molecule-file` / `molecule`, `object3D-file` / `object3D`. Each value becomes the list of
 * items a panel shows at that step, every item naming its run file; anything else is a kind
 * (`number`, `string`, `histogram`…) that a media key must not hold, so its panel can warn.
 */
import { joinDottedPath, splitDottedPath } from "@stepwise/protocol";

export const MEDIA_KINDS = ["image", "audio", "video", "html", "molecule", "object3d"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export interface MediaItem {
  kind: MediaKind;
  /** The run file's path, e.g. `media/images/pred_10_ab12….png`. */
  path: string;
  caption?: string;
  width?: number;
  height?: number;
  /** Mask name → the mask PNG's path. */
  masks?: Record<string, string>;
  /** Box set name → the boxes2D JSON's path. */
  boxes?: Record<string, string>;
  /** The file's download URL when the media index gave one (content-addressed: `?v=<sha256>`). */
  url?: string;
  /** A thumbnail (longest side 256) of a large image, from the media index. */
  thumbnail?: string;
  /** Where the media index has it (key, step, place in the list): its file can come in a batch. */
  at?: { key: string; step: number; index: number };
}

const SINGLE: Record<string, MediaKind> = {
  "image-file": "image",
  "audio-file": "audio",
  "video-file": "video",
  "html-file": "html",
  "molecule-file": "molecule",
  "object3D-file": "object3d",
};
const LIST: Record<string, MediaKind> = {
  "images/separated": "image",
  audio: "audio",
  videos: "video",
  html: "html",
  molecule: "molecule",
  object3D: "object3d",
};
const LIST_FOLDER: Record<MediaKind, string> = {
  image: "media/images/",
  audio: "media/audio/",
  video: "media/videos/",
  html: "media/html/",
  molecule: "media/molecule/",
  object3d: "media/object3D/",
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The media kind of a history value, or null when it is no media. */
export function mediaKindOf(value: unknown): MediaKind | null {
  if (!isObject(value)) return null;
  const type = str(value["_type"]);
  if (type === undefined) return null;
  return SINGLE[type] ?? LIST[type] ?? null;
}

/** What kind of value a key held at one step, for the changed-kind warning: a media kind or a JSON kind. */
export function valueKindOf(value: unknown): string {
  const media = mediaKindOf(value);
  if (media !== null) return media;
  if (value === null || value === undefined) return "none";
  if (isObject(value)) return str(value["_type"]) ?? "object";
  if (Array.isArray(value)) return "list";
  return typeof value;
}

/** The items of one logged value (one for a single file, several for a list), empty for non-media. */
export function mediaItemsOf(value: unknown): MediaItem[] {
  const kind = mediaKindOf(value);
  if (kind === null || !isObject(value)) return [];
  const type = str(value["_type"]) ?? "";
  if (SINGLE[type] !== undefined) {
    const item = itemOf(kind, value);
    return item === null ? [] : [item];
  }
  const captions = Array.isArray(value["captions"]) ? value["captions"] : [];
  const caption = (i: number) => str(captions[i]) || undefined;
  const nested =
    kind === "audio"
      ? value["audio"]
      : kind === "video"
        ? value["videos"]
        : kind === "html"
          ? value["html"]
          : undefined;
  if (Array.isArray(nested)) {
    return nested.flatMap((entry, i) => {
      const item = isObject(entry) ? itemOf(kind, entry) : null;
      if (item === null) return [];
      const c = item.caption ?? caption(i);
      return [c === undefined ? item : { ...item, caption: c }];
    });
  }
  const names = Array.isArray(value["filenames"]) ? value["filenames"] : [];
  const masks = Array.isArray(value["all_masks"]) ? value["all_masks"] : [];
  const boxes = Array.isArray(value["all_boxes"]) ? value["all_boxes"] : [];
  return names.flatMap((name, i) => {
    const path = str(name);
    if (path === undefined) return [];
    const item: MediaItem = { kind, path: path.startsWith("media/") ? path : LIST_FOLDER[kind] + path };
    const c = caption(i);
    if (c !== undefined) item.caption = c;
    if (kind === "image") {
      const w = num(value["width"]);
      const h = num(value["height"]);
      if (w !== undefined && h !== undefined) Object.assign(item, { width: w, height: h });
      const m = filePaths(masks[i]);
      const b = filePaths(boxes[i]);
      if (m !== undefined) item.masks = m;
      if (b !== undefined) item.boxes = b;
    }
    return [item];
  });
}

function itemOf(kind: MediaKind, value: Json): MediaItem | null {
  const path = str(value["path"]);
  if (path === undefined) return null;
  const item: MediaItem = { kind, path };
  const caption = str(value["caption"]);
  if (caption !== undefined && caption !== "") item.caption = caption;
  const w = num(value["width"]);
  const h = num(value["height"]);
  if (w !== undefined && h !== undefined) Object.assign(item, { width: w, height: h });
  const masks = filePaths(value["masks"]);
  const boxes = filePaths(value["boxes"]);
  if (masks !== undefined) item.masks = masks;
  if (boxes !== undefined) item.boxes = boxes;
  return item;
}

/** `{ name: { path, … } }` → `{ name: path }`; undefined when there is none. */
function filePaths(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value)) {
    const path = isObject(entry) ? str(entry["path"]) : undefined;
    if (path !== undefined) out[name] = path;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * The media keys of runs' summaries (the last value of each key): dotted paths to values whose
 * `_type` is a media type, each with its kind. A nested dict's media are found too.
 */
export function mediaKeysOf(summaries: readonly Record<string, unknown>[]): Map<string, MediaKind> {
  const keys = new Map<string, MediaKind>();
  const walk = (value: unknown, path: string[]): void => {
    if (!isObject(value) || path.length > 8) return;
    const kind = mediaKindOf(value);
    if (kind !== null) {
      const key = joinDottedPath(path);
      if (!keys.has(key)) keys.set(key, kind);
      return;
    }
    if (str(value["_type"]) !== undefined) return;
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  for (const summary of summaries)
    for (const [k, v] of Object.entries(summary)) if (!k.startsWith("_")) walk(v, [k]);
  return keys;
}

/** The value at a media key (a dotted path) of a history row. */
export function valueAt(row: Record<string, unknown>, key: string): unknown {
  let value: unknown = row;
  for (const segment of splitDottedPath(key)) {
    if (!isObject(value)) return undefined;
    value = value[segment];
  }
  return value;
}
