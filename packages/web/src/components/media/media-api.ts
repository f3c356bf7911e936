/**
 * The media index's answers for the panels (protocol media.ts), cached: the steps at which each
 * run holds media for a key (the slider's stops), the items of a key at a step for several runs
 * in one request, and media items turned into the panels' items (file and thumbnail URLs, mask
 * and box files). Items are kept per (run, key, step) so that moving the slider back, or a
 * neighbour fetched ahead, costs nothing.
 */
import {
  mediaPaths,
  mediaQueryResponseSchema,
  mediaStepsResponseSchema,
  type MediaItem as IndexItem,
} from "@stepwise/protocol";
import { request } from "../../api/client.js";
import { joined, type Cached } from "../../lib/called-off.js";
import type { MediaItem, MediaKind } from "../../lib/media-values.js";

const KINDS: Record<IndexItem["type"], MediaKind> = {
  image: "image",
  audio: "audio",
  video: "video",
  html: "html",
  molecule: "molecule",
  object3D: "object3d",
};

export function itemOfIndex(item: IndexItem): MediaItem {
  const out: MediaItem = {
    kind: KINDS[item.type],
    path: item.path,
    url: item.url,
    at: { key: item.key, step: item.step, index: item.index },
  };
  if (item.caption !== null && item.caption !== "") out.caption = item.caption;
  if (item.width !== null && item.height !== null)
    Object.assign(out, { width: item.width, height: item.height });
  // A thumbnail only for an image larger than it: a small one is the file itself, and the file
  // route answers sooner than the thumbnail route (which reads the image to know its size).
  const thumbnail = item.thumbnails?.["256"];
  const small = item.width !== null && item.height !== null && Math.max(item.width, item.height) <= 256;
  if (thumbnail !== undefined && !small) out.thumbnail = thumbnail;
  if (item.masks.length > 0) out.masks = Object.fromEntries(item.masks.map((m) => [m.name, m.path]));
  if (item.boxes.length > 0) out.boxes = Object.fromEntries(item.boxes.map((b) => [b.name, b.path]));
  return out;
}

const stepsCache = new Map<string, Promise<Map<string, number[]>>>();

/** Per run, the steps at which `key` holds media; `version` changes when a run logged more. */
export function loadMediaSteps(
  entity: string,
  project: string,
  key: string,
  runIds: readonly string[],
  version: string,
): Promise<Map<string, number[]>> {
  const id = `${entity}\u0000${project}\u0000${key}\u0000${runIds.join(",")}\u0000${version}`;
  let pending = stepsCache.get(id);
  if (pending === undefined) {
    const query = new URLSearchParams({ key, runs: runIds.join(",") });
    pending = request(
      mediaStepsResponseSchema,
      `${mediaPaths.mediaSteps(entity, project)}?${query.toString()}`,
    ).then((answer) => new Map(answer.runs.map((r) => [r.runId, r.steps])));
    pending.catch(() => stepsCache.delete(id));
    stepsCache.set(id, pending);
    if (stepsCache.size > 500) stepsCache.delete(stepsCache.keys().next().value as string);
  }
  return pending;
}

const itemsCache = new Map<string, Cached<MediaItem[]>>();
const ITEM_ENTRIES = 20_000;
const itemId = (entity: string, project: string, key: string, runId: string, step: number) =>
  `${entity}\u0000${project}\u0000${key}\u0000${runId}\u0000${step}`;

export interface LoadOptions {
  /** `high` for what is in view, `low` for what is fetched ahead (a browser opens 6 connections per server). */
  priority?: RequestPriority;
  /** Calls the load off (lib/called-off.ts): its requests are aborted unless another caller joined them. */
  signal?: AbortSignal | undefined;
}

/**
 * The items of `key` at each run's step (`steps`: run id → step), from the cache or in one
 * request per distinct step for the runs not cached yet.
 */
export function loadMediaAt(
  entity: string,
  project: string,
  key: string,
  steps: ReadonlyMap<string, number>,
  { priority = "auto", signal }: LoadOptions = {},
): Map<string, Promise<MediaItem[]>> {
  const out = new Map<string, Promise<MediaItem[]>>();
  const missing = new Map<number, string[]>();
  for (const [runId, step] of steps) {
    const known = itemsCache.get(itemId(entity, project, key, runId, step));
    if (known !== undefined)
      out.set(
        runId,
        joined(known, signal, () =>
          loadMediaAt(entity, project, key, new Map([[runId, step]]), { priority, signal }).get(runId)!,
        ),
      );
    else missing.set(step, [...(missing.get(step) ?? []), runId]);
  }
  for (const [step, runIds] of missing) {
    const query = new URLSearchParams({ key, runs: runIds.join(","), step: String(step), match: "exact" });
    const answer = request(
      mediaQueryResponseSchema,
      `${mediaPaths.media(entity, project)}?${query.toString()}`,
      { priority },
      signal,
    );
    for (const runId of runIds) {
      const id = itemId(entity, project, key, runId, step);
      const items = answer.then((a) =>
        [...(a.runs.find((r) => r.runId === runId)?.items ?? [])]
          .sort((x, y) => x.index - y.index)
          .map(itemOfIndex),
      );
      items.catch(() => itemsCache.get(id)?.promise === items && itemsCache.delete(id));
      itemsCache.set(id, { promise: items, signal });
      out.set(runId, items);
    }
  }
  while (itemsCache.size > ITEM_ENTRIES) itemsCache.delete(itemsCache.keys().next().value as string);
  return out;
}
