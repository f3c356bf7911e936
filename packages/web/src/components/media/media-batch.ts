/**
 * Media files asked for in the same task go to the server as one request (protocol
 * media-batch.ts), one per (project, priority): the images of a step for all the runs in view
 * arrive in one answer instead of queuing one request each on the browser's 6 connections.
 * Each caller gets its file's bytes as soon as they are in (the answer is read as it streams);
 * a caller whose signal calls it off is dropped from its batch (the batch is aborted once every
 * caller of it called off). An item the batch could not send
 * (past its byte budget, file not there yet) or a batch that failed is fetched on its own, as
 * before batches, so a server without the batch route still shows every image.
 */
import {
  MEDIA_BATCH_MAX_ITEMS,
  mediaBatchHeaderSchema,
  mediaBatchPaths,
  type MediaBatchEntry,
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
  // Each item is handed over as soon as its bytes are in (decoding starts while the rest arrive).
  let settled = 0;
  try {
    const response = await send(
      mediaBatchPaths.files(project.entity, project.project),
      { method: "POST", priority, body: JSON.stringify({ items: waiting.map((w) => w.item) }) },
      controller.signal,
    );
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error("media batch: an answer without a body");
    let body = new Uint8Array(Number(response.headers.get("content-length")) || 64 * 1024);
    let received = 0;
    let entries: MediaBatchEntry[] | null = null;
    let start = 0;
    const settle = () => {
      if (entries === null) {
        if (received < 4) return;
        const length = new DataView(body.buffer).getUint32(0);
        if (received < 4 + length) return;
        const text = new TextDecoder().decode(body.subarray(4, 4 + length));
        entries = mediaBatchHeaderSchema.parse(JSON.parse(text)).items;
        if (entries.length !== waiting.length) throw new Error("media batch: an answer for other items");
        start = 4 + length;
      }
      for (; settled < entries.length; settled++) {
        const entry = entries[settled];
        const w = waiting[settled];
        if (entry === undefined || w === undefined) break;
        if (entry.status !== "ok") alone(w);
        else if (received < start + entry.offset + entry.size) return;
        else w.resolve(body.subarray(start + entry.offset, start + entry.offset + entry.size));
      }
    };
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (received + value.length > body.length) {
        const larger = new Uint8Array(Math.max(body.length * 2, received + value.length));
        larger.set(body.subarray(0, received));
        body = larger;
      }
      body.set(value, received);
      received += value.length;
      settle();
    }
    settle();
    if (settled < waiting.length) throw new Error("media batch: the answer was cut short");
  } catch (cause) {
    // Called off: every caller was told already. Else the items not handed over ask on their own.
    if (!isAborted(cause)) for (const w of waiting.slice(settled)) alone(w);
  }
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
