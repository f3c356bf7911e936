/**
 * Buffers for the copies log() makes of pixel data (and other media arrays), reused. A training
 * loop logs images of one size, so after the first few calls every copy lands in a buffer that
 * exists already: log() allocates no backing store, maps no memory and hands no buffer over.
 *
 * The buffers are SharedArrayBuffers: a job posted to a media thread shares its buffer instead of
 * transferring it (a transfer detaches it here and makes a new ArrayBuffer object on each side,
 * 192 KiB of external memory per 256×256 RGB image that V8 counts towards its next young GC;
 * with a buffer a call, that was a scavenge every few calls, landing inside log()).
 *
 * A buffer is HELD from the copy until the media queue has read its file's result (the thread
 * reads the pixels before it reports, media-worker.ts), then given back (releaseBuffer). A copy
 * never posted (a log() call that threw after it, a disabled run) is given back when its array
 * is garbage-collected. At most MAX_POOLED_BYTES are pooled; beyond that (a long backlog of
 * large images) a copy gets a plain ArrayBuffer, transferred to the thread as before.
 */
/** Buffers smaller than this are cheap to allocate and not pooled. */
const MIN_POOLED_BYTES = 64 * 1024;
/** Most bytes of pooled buffers, held and free together. */
const MAX_POOLED_BYTES = 64 * 1024 * 1024;
/** Most free buffers kept per size: enough for a paced loop and a short burst; a longer one's extra go. */
const MAX_FREE_PER_SIZE = 32;

/** Per pooled buffer: whether a copy holds it. */
const held = new Map<SharedArrayBuffer, boolean>();
/** Free buffers by size (pushed and popped: no allocation once the lists have grown). */
const free = new Map<number, SharedArrayBuffer[]>();
let pooledBytes = 0;

/** Told of each pooled buffer that leaves the pool (media threads that hold a view of it let it go). */
const droppedListeners = new Set<(buffer: SharedArrayBuffer) => void>();

/** Calls `listener` with each buffer that leaves the pool; returns the call that stops it. */
export function onBufferDropped(listener: (buffer: SharedArrayBuffer) => void): () => void {
  droppedListeners.add(listener);
  return () => droppedListeners.delete(listener);
}

function dropped(buffer: SharedArrayBuffer): void {
  held.delete(buffer);
  pooledBytes -= buffer.byteLength;
  for (const listener of droppedListeners) listener(buffer);
}

/** Copies never posted to a media thread give their buffer back when they are collected. */
const unposted = new FinalizationRegistry<SharedArrayBuffer>((buffer) => releaseBuffer(buffer));

/**
 * A buffer of exactly `bytes` bytes for a copy (contents undefined: the caller fills all of it),
 * and the array over it; `make` builds that array (Uint8Array, Float32Array…). That array object
 * itself must be what its FileContent holds (never a view made from it): the buffer goes back to
 * the pool when that object is collected unposted.
 */
export function takeArray<T extends ArrayBufferView>(bytes: number, make: (buffer: ArrayBufferLike) => T): T {
  if (bytes < MIN_POOLED_BYTES) return make(new ArrayBuffer(bytes));
  let buffer = free.get(bytes)?.pop();
  if (buffer === undefined) {
    if (pooledBytes + bytes > MAX_POOLED_BYTES) dropFree();
    if (pooledBytes + bytes > MAX_POOLED_BYTES) return make(new ArrayBuffer(bytes));
    buffer = new SharedArrayBuffer(bytes);
    pooledBytes += bytes;
  }
  held.set(buffer, true);
  const array = make(buffer);
  unposted.register(array, buffer, array);
  return array;
}

/** The copy `array` is posted to a media thread: its buffer stays held until releaseBuffer. */
export function posted(array: ArrayBufferView): void {
  if (array.buffer instanceof SharedArrayBuffer) unposted.unregister(array);
}

/** Whether `buffer` is a pooled one (handed to a media thread by sharing, given back by releaseBuffer). */
export function isPooled(buffer: ArrayBufferLike): buffer is SharedArrayBuffer {
  return buffer instanceof SharedArrayBuffer && held.has(buffer);
}

/** The media thread is done with this pooled buffer (its result was read): the next copy may take it. */
export function releaseBuffer(buffer: SharedArrayBuffer): void {
  if (held.get(buffer) !== true) return;
  let list = free.get(buffer.byteLength);
  if (list !== undefined && list.length >= MAX_FREE_PER_SIZE) {
    dropped(buffer);
    return;
  }
  held.set(buffer, false);
  if (list === undefined) {
    list = [];
    free.set(buffer.byteLength, list);
  }
  list.push(buffer);
}

/**
 * A pooled buffer whose job may still be read by a thread that is going away (the queue closed
 * before its result came): it leaves the pool and is never handed out again.
 */
export function forgetBuffer(buffer: SharedArrayBuffer): void {
  if (held.get(buffer) !== true) return;
  dropped(buffer);
}

/** Lets the free buffers go (the sizes logged changed, or the pool is full). */
function dropFree(): void {
  const lists = [...free.values()];
  free.clear();
  for (const list of lists) for (const buffer of list) dropped(buffer);
}

/** Pooled buffers held and free (tests). */
export function poolStats(): { held: number; free: number; bytes: number } {
  let holding = 0;
  for (const isHeld of held.values()) if (isHeld) holding++;
  return { held: holding, free: held.size - holding, bytes: pooledBytes };
}
