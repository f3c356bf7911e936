/**
 * A stored media item as the API answers it: the URLs to fetch its file, its thumbnails and
 * its masks and boxes files, resolved against the run's file records (`present` once the file
 * arrived, whichever came first, the file or the row).
 */
import { apiPaths, mediaPaths, THUMBNAIL_SIZES, type MediaItem, type RunRef } from "@stepwise/protocol";
import type { MediaFileEntry } from "../../domain/media/media-entries.js";
import type { StoredMediaItem } from "../../store/media-store.js";

export function mediaItemDto(ref: RunRef, item: StoredMediaItem, present: ReadonlySet<string>): MediaItem {
  const file = item.file;
  const sha256 = file?.sha256 ?? item.sha256;
  // The content's sha256 in the URL makes it a new URL when the content changes: cached for good.
  const version = file === null ? "" : `?v=${file.sha256}`;
  return {
    runId: item.runId,
    key: item.key,
    step: item.step,
    index: item.index,
    type: item.type,
    valueType: item.valueType,
    path: item.path,
    sha256,
    size: file?.size ?? item.size,
    present: file !== null,
    url: apiPaths.file(ref, item.path) + version,
    format: item.format,
    width: item.width,
    height: item.height,
    caption: item.caption,
    thumbnails:
      item.type === "image" && file !== null
        ? Object.fromEntries(
            THUMBNAIL_SIZES.map((size) => [
              String(size),
              mediaPaths.thumbnail(ref, size, item.path) + version,
            ]),
          )
        : null,
    masks: item.masks.map((m) => fileRef(ref, m, present)),
    boxes: item.boxes.map((b) => fileRef(ref, b, present)),
    extra: item.extra,
  };
}

function fileRef(ref: RunRef, entry: MediaFileEntry, present: ReadonlySet<string>) {
  return {
    name: entry.name,
    path: entry.path,
    sha256: entry.sha256,
    url: present.has(entry.path) ? apiPaths.file(ref, entry.path) : null,
    classLabels: entry.classLabels,
  };
}
