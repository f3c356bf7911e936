/**
 * The answer of `POST /media/:entity/:project/files` (protocol media-batch.ts): the stored bytes
 * of many media items' files in one response, in request order, after a header that says where
 * each one's bytes are or why there are none. One media index lookup per distinct (key, step)
 * of the batch finds the items' files; the files are then read from the blob store as the
 * response is sent: files up to 1 MiB read whole up to 8 ahead (their reads overlap), larger
 * ones streamed in their turn (never the whole batch in memory). At most MEDIA_BATCH_MAX_ITEMS items (the request is refused past it) and
 * MEDIA_BATCH_MAX_BYTES of files (the items past it are `skipped`, to be fetched one by one).
 */
import { Readable } from "node:stream";
import {
  apiPaths,
  encodeMediaBatchHeader,
  MEDIA_BATCH_CONTENT_TYPE,
  MEDIA_BATCH_MAX_BYTES,
  type MediaBatchEntry,
  type MediaBatchItem,
} from "@stepwise/protocol";
import type { BlobStore } from "../../blob/blob-store.js";
import type { MediaStore, ProjectRef, StoredMediaRun } from "../../store/media-store.js";

interface ToSend {
  sha256: string;
  size: number;
  path: string;
}

export async function mediaBatchResponse(
  store: Pick<MediaStore, "queryMedia">,
  blobs: BlobStore,
  project: ProjectRef,
  items: readonly MediaBatchItem[],
): Promise<Response> {
  const found = await lookUp(store, project, items);
  const entries: MediaBatchEntry[] = [];
  const sends: ToSend[] = [];
  let offset = 0;
  for (const item of items) {
    const run = found.get(groupId(item))?.get(item.run);
    const url = (path: string) => apiPaths.file({ ...project, runId: item.run }, path);
    if (run === undefined || !run.found) {
      entries.push(missing(null, `no run '${item.run}' in ${project.entity}/${project.project}`));
      continue;
    }
    const stored = run.items.find((i) => i.index === item.index);
    if (stored === undefined) {
      entries.push(
        missing(
          null,
          run.items.length === 0
            ? `run '${item.run}' has no media of key '${item.key}' at step ${item.step}`
            : `the value of '${item.key}' at step ${item.step} has ${run.items.length} item(s): no index ${item.index}`,
        ),
      );
      continue;
    }
    const file = stored.file;
    if (file === null) {
      entries.push({
        status: "missing",
        path: stored.path,
        url: null,
        reason: `its file '${stored.path}' has not arrived yet (files are uploaded after the row)`,
      });
      continue;
    }
    if (offset + file.size > MEDIA_BATCH_MAX_BYTES) {
      entries.push({
        status: "skipped",
        path: stored.path,
        url: `${url(stored.path)}?v=${file.sha256}`,
        reason: `past the batch's ${MEDIA_BATCH_MAX_BYTES}-byte budget: fetch its url`,
      });
      continue;
    }
    entries.push({ status: "ok", path: stored.path, sha256: file.sha256, size: file.size, offset });
    sends.push({ sha256: file.sha256, size: file.size, path: stored.path });
    offset += file.size;
  }
  const head = encodeMediaBatchHeader({ items: entries });
  const body = Readable.from(streamed(head, sends, blobs), { objectMode: false });
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
    status: 200,
    headers: {
      "content-type": MEDIA_BATCH_CONTENT_TYPE,
      "content-length": String(head.length + offset),
      "cache-control": "private, no-store",
      "content-security-policy": "sandbox",
      "x-content-type-options": "nosniff",
    },
  });
}

function missing(path: string | null, reason: string): MediaBatchEntry {
  return { status: "missing", path, url: null, reason };
}

const groupId = (item: MediaBatchItem): string => `${item.key}\u0000${item.step}`;

/** Per distinct (key, step): the runs asked there, from one exact-step media index query. */
async function lookUp(
  store: Pick<MediaStore, "queryMedia">,
  project: ProjectRef,
  items: readonly MediaBatchItem[],
): Promise<Map<string, Map<string, StoredMediaRun>>> {
  const groups = new Map<string, { key: string; step: number; runs: Set<string> }>();
  for (const item of items) {
    const id = groupId(item);
    const group = groups.get(id) ?? { key: item.key, step: item.step, runs: new Set<string>() };
    group.runs.add(item.run);
    groups.set(id, group);
  }
  const out = new Map<string, Map<string, StoredMediaRun>>();
  for (const [id, group] of groups) {
    const runs = await store.queryMedia(project, {
      key: group.key,
      runIds: [...group.runs],
      at: { step: group.step, match: "exact" },
    });
    out.set(id, new Map(runs.map((r) => [r.runId, r])));
  }
  return out;
}

/** Files up to this size are read whole, a few ahead of the one being sent; larger ones are streamed. */
const SMALL_FILE = 1024 * 1024;
/** How many small files are read ahead of the one being sent (at most AHEAD × SMALL_FILE held). */
const AHEAD = 8;

/**
 * The header, then each file's bytes as read from the store: small files read a few ahead (the
 * store's latency overlaps instead of adding up), large ones streamed when their turn comes.
 */
async function* streamed(
  head: Uint8Array,
  sends: readonly ToSend[],
  blobs: BlobStore,
): AsyncGenerator<Uint8Array> {
  yield head;
  const ahead = new Map<number, Promise<Buffer | null>>();
  const readAhead = (from: number) => {
    for (let i = from; i < Math.min(sends.length, from + AHEAD); i++) {
      const file = sends[i];
      if (file === undefined || file.size > SMALL_FILE || ahead.has(i)) continue;
      const read = readWhole(blobs, file);
      read.catch(() => undefined); // awaited in its turn
      ahead.set(i, read);
    }
  };
  for (const [i, file] of sends.entries()) {
    readAhead(i);
    const whole = ahead.get(i);
    ahead.delete(i);
    if (whole !== undefined) {
      const bytes = await whole;
      if (bytes === null) throw gone(file);
      checkSize(file, bytes.length);
      yield bytes;
      continue;
    }
    const body = await blobs.get(file.sha256);
    // The header has promised these bytes: all that is left is to cut the answer short.
    if (body === null) throw gone(file);
    let sent = 0;
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      sent += chunk.length;
      yield chunk;
    }
    checkSize(file, sent);
  }
}

async function readWhole(blobs: BlobStore, file: ToSend): Promise<Buffer | null> {
  const body = await blobs.get(file.sha256);
  if (body === null) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function gone(file: ToSend): Error {
  return new Error(
    `the content of '${file.path}' (sha256 ${file.sha256}) is missing from the file store; run 'stepwise server --check'`,
  );
}

function checkSize(file: ToSend, sent: number): void {
  if (sent !== file.size)
    throw new Error(`'${file.path}' has ${sent} bytes in the file store, its record says ${file.size}`);
}
