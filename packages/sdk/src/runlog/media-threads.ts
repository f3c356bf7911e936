/**
 * The media threads a MediaQueue posts jobs to (media/media-worker.ts): started one by one as
 * media are logged, up to MEDIA_THREADS, taken in turn. A thread that stops is replaced at the
 * next media; its files in flight fail at once rather than at the close deadline (their data
 * went to it and is gone). Also what a job hands over: its data's size, and its buffer: a pooled
 * one (media/pixel-buffers.ts) is shared, never copied or moved; any other is transferred.
 */
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { JobRingWriter, MAX_SHAPES, type MediaMessage, type PixelShape } from "../media/job-ring.js";
import type { FileContent, LoggedFile } from "../media/logged-value.js";
import type { MediaResults } from "../media/media-results.js";
import type { MediaWorkerData } from "../media/media-worker.js";
import { RESULT_SLOTS } from "../media/media-results.js";
import { forgetBuffer, isPooled, onBufferDropped, posted, releaseBuffer } from "../media/pixel-buffers.js";
import { workerExecArgv } from "./worker-exec-argv.js";

/**
 * Media threads: encoding a 256×256 photo-like PNG takes ~2 ms of CPU (encode-png.ts), so one
 * thread keeps up with a few hundred images/s. More help on machines with cores to spare (training uses some; the run log
 * writer and the uploader one each), never more than 4.
 */
export const MEDIA_THREADS = Math.max(1, Math.min(4, availableParallelism() - 3));

export interface MediaThread {
  worker: Worker;
  port: MessagePort;
  /** Slots posted to this thread whose result is not read yet. */
  slots: Set<number>;
  /** Its job ring (media/job-ring.ts), and the buffer and shape ids it has been told of. */
  ring: JobRingWriter;
  buffers: Set<number>;
  shapes: Set<number>;
}

export class MediaThreads {
  private readonly threads: Array<MediaThread | undefined> = [];
  private next = 0;
  /** Per slot: the pooled buffer its job's data is in, held until the slot's result is read. */
  private readonly buffers: Array<SharedArrayBuffer | null> = new Array<null>(RESULT_SLOTS).fill(null);

  /** Ids of pooled buffers and of job shapes sent through the job rings. */
  private readonly bufferIds = new WeakMap<SharedArrayBuffer, number>();
  private nextBufferId = 1;
  /** Shape ids by key (a key's string hash is cached: no name is built per call). */
  private readonly shapeIds = new Map<string, number[]>();
  private readonly shapes: PixelShape[] = [];
  private readonly stopListening: () => void;

  constructor(
    private readonly results: MediaResults,
    private readonly warn: (cause: string, message: string) => void,
    /** The run's directory (jobs write into its files/ folder). */
    private readonly runDir: string,
  ) {
    this.stopListening = onBufferDropped((buffer) => this.forget(buffer));
  }

  /** The next media thread in turn (a new one while fewer than MEDIA_THREADS run). */
  take(): MediaThread {
    const turn = this.next++ % MEDIA_THREADS;
    const running = this.threads[turn];
    if (running !== undefined) return running;
    const { port1, port2 } = new MessageChannel();
    const ring = new JobRingWriter();
    const workerData: MediaWorkerData = {
      results: this.results.memory,
      port: port2,
      wake: this.results.wake,
      ring: ring.memory,
    };
    const worker = new Worker(mediaWorkerUrl(), {
      workerData,
      transferList: [port2],
      execArgv: workerExecArgv(),
    });
    worker.unref();
    port1.unref();
    const thread: MediaThread = {
      worker,
      port: port1,
      slots: new Set(),
      ring,
      buffers: new Set(),
      shapes: new Set(),
    };
    worker.on("error", (error) => {
      this.warn("media-worker", `a media thread stopped: ${error.message}`);
      if (this.threads[turn] === thread) this.threads[turn] = undefined;
      for (const slot of thread.slots)
        this.results.failed(slot, `the media thread stopped: ${error.message}`);
      thread.slots.clear();
    });
    this.threads[turn] = thread;
    return thread;
  }

  /**
   * Sends the job of a PNG from pooled pixels through the thread's job ring (media/job-ring.ts),
   * telling it first of the buffer and the shape when new to it; false when the job is of
   * another kind (the caller posts it).
   */
  sendShared(
    thread: MediaThread,
    slot: number,
    key: string,
    step: number | "summary",
    file: LoggedFile,
    buffer: SharedArrayBuffer,
  ): boolean {
    const content = file.content;
    if (content.kind !== "png") return false;
    const pixels = content.pixels;
    if (pixels.byteOffset !== 0 || pixels.byteLength !== buffer.byteLength) return false;
    const array = pixels instanceof Uint8Array ? "u8" : pixels instanceof Float32Array ? "f32" : "f64";
    const shape = this.shapeOf(key, file, content, array);
    if (shape === null) return false;
    let id = this.bufferIds.get(buffer);
    if (id === undefined) {
      id = this.nextBufferId++;
      this.bufferIds.set(buffer, id);
    }
    if (!thread.buffers.has(id)) {
      post(thread, { buffer: id, memory: buffer });
      thread.buffers.add(id);
    }
    if (!thread.shapes.has(shape)) {
      post(thread, { shape, value: this.shapes[shape] as PixelShape });
      thread.shapes.add(shape);
    }
    thread.ring.write(slot, id, shape, step === "summary" ? NaN : step);
    return true;
  }

  /** The id of the job shape of this key, file and pixels (a new one while under MAX_SHAPES). */
  private shapeOf(
    key: string,
    file: LoggedFile,
    content: { width: number; height: number; channels: 1 | 2 | 3 | 4; scale: PixelShape["scale"] },
    array: PixelShape["array"],
  ): number | null {
    const { width, height, channels, scale } = content;
    const { dir, ext } = file;
    let ids = this.shapeIds.get(key);
    if (ids !== undefined)
      for (const id of ids) {
        const known = this.shapes[id] as PixelShape;
        if (
          known.width === width &&
          known.height === height &&
          known.channels === channels &&
          known.array === array &&
          known.scale === scale &&
          known.dir === dir &&
          known.ext === ext
        )
          return id;
      }
    if (this.shapes.length >= MAX_SHAPES) return null;
    const id = this.shapes.length;
    this.shapes.push({ runDir: this.runDir, key, dir, ext, width, height, channels, scale, array });
    if (ids === undefined) this.shapeIds.set(key, (ids = []));
    ids.push(id);
    return id;
  }

  /** A pooled buffer left the pool: the threads that know it let it go. */
  private forget(buffer: SharedArrayBuffer): void {
    const id = this.bufferIds.get(buffer);
    if (id === undefined) return;
    this.bufferIds.delete(buffer);
    for (const thread of this.threads) if (thread?.buffers.delete(id) === true) post(thread, { forget: id });
  }

  /** The job of `slot` reads its data from this pooled buffer (pixel-buffers.ts). */
  hold(slot: number, buffer: SharedArrayBuffer): void {
    this.buffers[slot] = buffer;
  }

  /**
   * A slot's result was read: no thread owes it any more, and none reads its data again (a
   * thread reads it before it reports), so its pooled buffer goes back for the next copy.
   */
  settled(slot: number): void {
    for (const thread of this.threads) thread?.slots.delete(slot);
    const buffer = this.buffers[slot];
    if (buffer === null || buffer === undefined) return;
    this.buffers[slot] = null;
    releaseBuffer(buffer);
  }

  close(): void {
    this.stopListening();
    for (const thread of this.threads.splice(0)) {
      if (thread === undefined) continue;
      thread.port.close();
      void thread.worker.terminate();
    }
    // Jobs given up on may still be read by a thread on its way out: their buffers leave the pool.
    for (let slot = 0; slot < RESULT_SLOTS; slot++) {
      const buffer = this.buffers[slot];
      if (buffer === null || buffer === undefined) continue;
      this.buffers[slot] = null;
      forgetBuffer(buffer);
    }
  }
}

function post(thread: MediaThread, message: MediaMessage): void {
  thread.port.postMessage(message);
}

function dataOf(content: FileContent): ArrayBufferView | null {
  switch (content.kind) {
    case "bytes":
      return content.bytes;
    case "wav":
      return content.samples;
    case "points":
      return content.values;
    case "copy":
    case "filled-json":
      return null;
    default:
      return content.pixels;
  }
}

/** Bytes a job holds until written: its data, or the size of a staged copy (read by the worker). */
export function contentBytes(content: FileContent): number {
  if (content.kind === "copy") return statSync(content.local, { throwIfNoEntry: false })?.size ?? 0;
  return dataOf(content)?.byteLength ?? 0;
}

/**
 * The pooled buffer a job's data is in (media/pixel-buffers.ts), now posted: held until its
 * result is read, then released by the queue. Null for data in any other buffer.
 */
export function pooledBuffer(content: FileContent): SharedArrayBuffer | null {
  const array = dataOf(content);
  if (array === null || !isPooled(array.buffer)) return null;
  posted(array);
  return array.buffer;
}

/** The buffer a job can hand over instead of copying: one the data type allocated for it alone. */
export function transferable(content: FileContent): ArrayBuffer | null {
  const array = dataOf(content);
  if (array === null) return null;
  const buffer = array.buffer;
  return buffer instanceof ArrayBuffer && array.byteOffset === 0 && array.byteLength === buffer.byteLength
    ? buffer
    : null;
}

function mediaWorkerUrl(): URL {
  const beside = new URL("../media/media-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL("../../dist/media/media-worker.js", import.meta.url);
}
