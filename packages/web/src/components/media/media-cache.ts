/**
 * What the media panels fetched, kept per (run, key, x-axis) for history and per (run, file
 * path) for files, so that moving a slider back, re-rendering or reopening a section never
 * fetches again. Media file paths name their content (W&B puts the sha256 in the name), so a
 * cached file never goes stale. Files are held as object URLs, at most FILE_ENTRIES of them
 * (least recently used dropped and revoked).
 */
import type { RunRef } from "@stepwise/protocol";
import { fetchFile, fetchHistoryRows, send } from "../../api/client.js";
import { mediaSeriesOf, STEP_AXIS, type MediaSeries } from "../../lib/media-steps.js";
import { splitDottedPath } from "@stepwise/protocol";

const FILE_ENTRIES = 2_000;
const runKey = (ref: RunRef): string => `${ref.entity}\u0000${ref.project}\u0000${ref.runId}`;

const histories = new Map<string, Promise<MediaSeries>>();

/** A run's media entries of `key`, x from `xKey`; fetched once per (run, key, x-axis, version). */
export function loadMediaSeries(
  ref: RunRef,
  key: string,
  xKey: string,
  version: string,
): Promise<MediaSeries> {
  const id = `${runKey(ref)}\u0000${key}\u0000${xKey}\u0000${version}`;
  let pending = histories.get(id);
  if (pending === undefined) {
    const top = splitDottedPath(key)[0] ?? key;
    const xTop = splitDottedPath(xKey)[0] ?? xKey;
    const keys = xKey === STEP_AXIS || xTop === top ? [top] : [top, xTop];
    pending = fetchHistoryRows(ref, keys).then((rows) => mediaSeriesOf(rows, key, xKey));
    pending.catch(() => histories.delete(id));
    histories.set(id, pending);
  }
  return pending;
}

const files = new Map<string, Promise<string>>();

/**
 * An object URL of a run file's bytes typed `type` (the server's own type is never trusted to
 * render), fetched from `url` when the media index gave one (a thumbnail, a versioned file URL).
 */
export function loadFileUrl(ref: RunRef, path: string, type: string, url?: string): Promise<string> {
  const id = `${runKey(ref)}\u0000${url ?? path}`;
  const known = files.get(id);
  if (known !== undefined) {
    files.delete(id);
    files.set(id, known);
    return known;
  }
  const pending = (url === undefined ? fetchFile(ref, path) : send(url, {}))
    .then((response) => response.arrayBuffer())
    .then((bytes) => URL.createObjectURL(new Blob([bytes], { type })));
  pending.catch(() => files.delete(id));
  files.set(id, pending);
  while (files.size > FILE_ENTRIES) {
    const [oldest, url] = files.entries().next().value as [string, Promise<string>];
    files.delete(oldest);
    void url.then(
      (u) => URL.revokeObjectURL(u),
      () => undefined,
    );
  }
  return pending;
}

const texts = new Map<string, Promise<string>>();

/** A run file's text (boxes JSON, point clouds, molecules, HTML), fetched once. */
export function loadFileText(ref: RunRef, path: string): Promise<string> {
  const id = `${runKey(ref)}\u0000${path}`;
  let pending = texts.get(id);
  if (pending === undefined) {
    pending = fetchFile(ref, path).then((response) => response.text());
    pending.catch(() => texts.delete(id));
    texts.set(id, pending);
    if (texts.size > FILE_ENTRIES) texts.delete(texts.keys().next().value as string);
  }
  return pending;
}

/** The type a media file is rendered as, from its extension. */
export function mediaType(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return TYPES[ext] ?? "application/octet-stream";
}

const TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  bmp: "image/bmp",
  webp: "image/webp",
  wav: "audio/wav",
  mp3: "audio/mpeg",
  flac: "audio/flac",
  ogg: "audio/ogg",
  mp4: "video/mp4",
  webm: "video/webm",
};
