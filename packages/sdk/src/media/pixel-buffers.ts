/**
 * Buffers for the copies log() makes of pixel data, reused: the media thread hands each one
 * back once it has encoded it (media-worker.ts → media-queue.ts). A fresh 192 KiB ArrayBuffer per
 * logged image made V8 run a young-generation GC every second call (its external memory counts
 * towards the young generation), and on a busy machine those pauses were log()'s slowest calls.
 * A training loop logs images of one size, so one small list per size is enough.
 */
const MAX_FREE_PER_SIZE = 8;
/** Buffers smaller than this are cheap to allocate and not kept. */
const MIN_POOLED_BYTES = 64 * 1024;

const free = new Map<number, ArrayBuffer[]>();

/** A buffer of exactly `bytes` bytes (contents undefined: the caller fills all of it). */
export function takeBuffer(bytes: number): ArrayBuffer {
  return free.get(bytes)?.pop() ?? new ArrayBuffer(bytes);
}

/** Keeps a buffer the media thread is done with for the next copy of that size. */
export function giveBackBuffer(buffer: ArrayBuffer): void {
  if (buffer.byteLength < MIN_POOLED_BYTES) return;
  let list = free.get(buffer.byteLength);
  if (list === undefined) {
    // Sizes change rarely; keep only the sizes seen last.
    if (free.size >= 4) free.clear();
    list = [];
    free.set(buffer.byteLength, list);
  }
  if (list.length < MAX_FREE_PER_SIZE) list.push(buffer);
}

/** Whether a buffer of this size goes back to the pool (the worker returns only those). */
export function isPooledSize(bytes: number): boolean {
  return bytes >= MIN_POOLED_BYTES;
}
