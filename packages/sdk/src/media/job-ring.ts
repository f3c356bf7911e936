/**
 * The hot path of an image's job to a media thread, without postMessage: a training loop logs
 * images of one key and size, into pooled buffers (pixel-buffers.ts), so all a job says that
 * changes from call to call is its result slot, its buffer and its step. Those go into a ring of
 * fixed entries in shared memory that the thread polls; what does not change (the thread's view
 * of each pooled buffer, and the job's "shape": key, folder, size, channels, scaling) is posted
 * to the thread once, before the first entry that names it, and forgotten with a message when the
 * buffer leaves the pool.
 *
 * Why: after a training step has run (caches cold), one MessagePort.postMessage() took 15–30 µs
 * of a ~130 µs log() on 2 cores, even for a plain number (node's serializer, message queue,
 * allocation); writing an entry here is four stores.
 *
 * The ring never overflows: an entry holds a result slot (media-results.ts), and a slot is only
 * reused once its result is read, which the thread writes after it has read the entry; so never
 * more than RESULT_SLOTS entries are unread. Ordering with the port: the thread loads the count
 * of entries written BEFORE it drains its port, and the training thread posts a definition
 * before it writes the entry naming it; so every entry it reads has its definitions received.
 */
import type { MediaJob } from "./media-worker.js";
import type { PixelScale } from "./logged-value.js";
import { RESULT_SLOTS } from "./media-results.js";

const ENTRIES = RESULT_SLOTS;
/** Int32s: [0] entries written (wraps at 2^32). */
const HEADER_BYTES = 8;
/** Int32s per entry: result slot, buffer id, shape id, unused. */
const ENTRY_INTS = 4;
const STEPS_AT = HEADER_BYTES + ENTRIES * ENTRY_INTS * 4;
export const JOB_RING_BYTES = STEPS_AT + ENTRIES * 8;
/** Most distinct shapes one queue sends this way; a key per step beyond it takes postMessage. */
export const MAX_SHAPES = 1024;

/** What the jobs of one key and image size share. */
export interface PixelShape {
  runDir: string;
  key: string;
  dir: string;
  ext: string;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  scale: PixelScale;
  /** The pixel array's type. */
  array: "u8" | "f32" | "f64";
}

/** Messages on a media thread's port: jobs, or definitions for the ring's entries. */
export type MediaMessage =
  | MediaJob[]
  | { buffer: number; memory: SharedArrayBuffer }
  | { forget: number }
  | { shape: number; value: PixelShape };

/** Training thread: writes entries. */
export class JobRingWriter {
  readonly memory = new SharedArrayBuffer(JOB_RING_BYTES);
  private readonly ints = new Int32Array(this.memory);
  private readonly steps = new Float64Array(this.memory, STEPS_AT, ENTRIES);
  private written = 0;

  /** One job; `step` NaN stands for "summary". */
  write(slot: number, buffer: number, shape: number, step: number): void {
    const entry = this.written % ENTRIES;
    const at = 2 + entry * ENTRY_INTS;
    this.ints[at] = slot;
    this.ints[at + 1] = buffer;
    this.ints[at + 2] = shape;
    this.steps[entry] = step;
    this.written = (this.written + 1) >>> 0;
    Atomics.store(this.ints, 0, this.written | 0);
  }
}

/** Media thread: reads entries, and keeps the definitions they name. */
export class JobRingReader {
  private readonly ints: Int32Array;
  private readonly steps: Float64Array;
  private read = 0;
  private readonly buffers = new Map<number, SharedArrayBuffer>();
  private readonly shapes = new Map<number, PixelShape>();

  constructor(memory: SharedArrayBuffer) {
    this.ints = new Int32Array(memory);
    this.steps = new Float64Array(memory, STEPS_AT, ENTRIES);
  }

  /** Entries written so far (load it before draining the port: see the top of this file). */
  writtenCount(): number {
    return Atomics.load(this.ints, 0) >>> 0;
  }

  /** A definition from the port; false when the message is not one (jobs). */
  define(message: MediaMessage): boolean {
    if (Array.isArray(message)) return false;
    if ("buffer" in message) this.buffers.set(message.buffer, message.memory);
    else if ("forget" in message) this.buffers.delete(message.forget);
    else this.shapes.set(message.shape, message.value);
    return true;
  }

  /**
   * The next entry before `written` as a job, null when there is none, or the entry's slot
   * alone when a definition it names never came (cannot happen; its file then fails).
   */
  next(written: number): MediaJob | number | null {
    if (this.read === written) return null;
    const entry = this.read % ENTRIES;
    this.read = (this.read + 1) >>> 0;
    const at = 2 + entry * ENTRY_INTS;
    const slot = this.ints[at] as number;
    const memory = this.buffers.get(this.ints[at + 1] as number);
    const shape = this.shapes.get(this.ints[at + 2] as number);
    const step = this.steps[entry] as number;
    if (memory === undefined || shape === undefined) return slot;
    const pixels =
      shape.array === "u8"
        ? new Uint8Array(memory)
        : shape.array === "f32"
          ? new Float32Array(memory)
          : new Float64Array(memory);
    const { width, height, channels, scale } = shape;
    return {
      slot,
      runDir: shape.runDir,
      key: shape.key,
      step: Number.isNaN(step) ? "summary" : step,
      file: {
        dir: shape.dir,
        ext: shape.ext,
        content: { kind: "png", width, height, channels, pixels, scale },
      },
    };
  }
}
