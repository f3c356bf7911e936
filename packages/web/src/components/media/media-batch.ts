/**
 * Media files asked for in the same task go to the server as one request (protocol
 * media-batch.ts), one per (project, priority): the images of a step for all the runs in view
 * arrive in one answer instead of queuing one request each on the browser's 6 connections.
 * Each caller gets its file's bytes; a caller whose signal calls it off is dropped from its batch
 * (the batch is aborted once every caller of it called off). An item the batch could not send
 * (past its byte budget, file not there yet) or a batch that failed is fetched on its own, as
 * before batches, so a server without the batch route still shows every image.
 */
import {
  decodeMediaBatch,
  MEDIA_BATCH_MAX_ITEMS,
  mediaBatchPaths,
  type MediaBatchItem,
  type RunRef,
} from "@stepwise/protocol";
import { fetchFile, send } from "../../api/client.js";
import { isAborted } from "../../lib/called-off.js";

/** Where the media index has the item: what the batch asks for. */
export interface IndexedAt {
  key: string;
  step: number;
  index: number;
}

interface Waiting {
  item: MediaBatchItem;
  /** The item's own request, when the batch cannot give it. */
  alone: () => Promise<Response>;
  signal: AbortSignal | undefined;
  resolve: (bytes: Uint8Array) => void;
  reject: (cause: unknown) => void;
}

const queues = new Map<
  string,
  { project: { entity: string; project: string }; priority: RequestPriority; waiting: Waiting[] }
>();
let flushing: ReturnType<typeof setTimeout> | undefined;

/** The bytes of the file of the media item `at` of run `ref` (its path `path`, its own URL `url`). */
export function loadBatchedFile(
  ref: RunRef,
  at: IndexedAt,
  path: string,
  url: string | undefined,
  priority: RequestPriority,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  if (signal?.aborted === true) return Promise.reject(abortError());
  return new Promise<Uint8Array>((resolve, reject) => {
    const id = `${ref.entity}\u0000${ref.project}\u0000${priority}`;
    let queue = queues.get(id);
    if (queue === undefined)
      queues.set(
        id,
        (queue = { project: { entity: ref.entity, project: ref.project }, priority, waiting: [] }),
      );
    const init = { priority };
    queue.waiting.push({
      item: { run: ref.runId, ...at },
      alone: () => (url === undefined ? fetchFile(ref, path, init, signal) : send(url, init, signal)),
      signal,
      resolve,
      reject,
    });
    flushing ??= setTimeout(flush, 0);
  });
}

function flush(): void {
  flushing = undefined;
  const all = [...queues.values()];
  queues.clear();
  for (const { project, priority, waiting } of all)
    for (let from = 0; from < waiting.length; from += MEDIA_BATCH_MAX_ITEMS)
      void sendBatch(project, priority, waiting.slice(from, from + MEDIA_BATCH_MAX_ITEMS));
}

async function sendBatch(
  project: { entity: string; project: string },
  priority: RequestPriority,
  all: Waiting[],
): Promise<void> {
  const waiting = all.filter((w) => {
    if (w.signal?.aborted !== true) return true;
    w.reject(abortError());
    return false;
  });
  if (waiting.length === 0) return;
  // Called off once every caller is.
  const controller = new AbortController();
  let left = waiting.length;
  for (const w of waiting)
    w.signal?.addEventListener(
      "abort",
      () => {
        w.reject(abortError());
        if (--left === 0) controller.abort();
      },
      { once: true },
    );
  let decoded: ReturnType<typeof decodeMediaBatch>;
  try {
    const response = await send(
      mediaBatchPaths.files(project.entity, project.project),
      { method: "POST", priority, body: JSON.stringify({ items: waiting.map((w) => w.item) }) },
      controller.signal,
    );
    decoded = decodeMediaBatch(new Uint8Array(await response.arrayBuffer()));
  } catch (cause) {
    // Called off: every caller was told already. Else each asks on its own.
    if (!isAborted(cause)) for (const w of waiting) alone(w);
    return;
  }
  waiting.forEach((w, i) => {
    const bytes = decoded.bytes(i);
    if (bytes !== null) w.resolve(bytes);
    else alone(w);
  });
}

function alone(w: Waiting): void {
  if (w.signal?.aborted === true) return;
  w.alone()
    .then((response) => response.arrayBuffer())
    .then((bytes) => w.resolve(new Uint8Array(bytes)), w.reject);
}

function abortError(): DOMException {
  return new DOMException("called off", "AbortError");
}
