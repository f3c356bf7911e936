/**
 * The producer side of the shared ring (ring-layout.ts), on the caller's thread: reserves room
 * for a frame, publishes it, and keeps the writer close behind.
 *
 * Memory policy: the ring is fixed. When the disk cannot keep up and the ring is full,
 * `reserve()` waits for the worker to free space: training slows down to disk speed, but
 * nothing accepted is dropped. A record bigger than a quarter of the ring travels in pieces.
 *
 * The ring alone bounds bytes, and 8 MiB of compact binary rows is about a second of logging:
 * too much to lose in a crash. Every LAG_CHECK_FRAMES frames the producer checks that
 * everything it produced LAG_BOUND_MS ago has been consumed by the worker (written, or held in
 * memory while the disk fails), and waits if not.
 */
import { performance } from "node:perf_hooks";
import { FLAG_CONTINUED, RING_FRAME_HEADER, SLOT, WRAP_MARKER } from "./ring-layout.js";

const LAG_BOUND_MS = 100;
const LAG_CHECK_FRAMES = 64;

export class RingProducer {
  readonly ring: Buffer;
  readonly view: DataView;
  /** The largest piece one ring frame carries. */
  readonly maxPiece: number;
  /** Payload bytes committed so far. */
  committedBytes = 0;
  /** Total milliseconds spent waiting for ring space or for the worker to catch up. */
  stalledMs = 0;
  private readonly capacity: number;
  private head = 0;
  /** Frames committed so far (the worker's SLOT.consumedFrames counts the same frames). */
  producedFrames = 0;
  /** (time, producedFrames) pairs, one per LAG_CHECK_FRAMES frames, oldest first. */
  private readonly checkpoints: Array<{ at: number; frames: number }> = [];

  constructor(
    memory: SharedArrayBuffer,
    private readonly control: Int32Array,
    /** Called once per stall when `reserve()` waited for space longer than 1 s. */
    private readonly onStall: ((waitedMs: number) => void) | undefined,
  ) {
    this.capacity = memory.byteLength;
    this.ring = Buffer.from(memory);
    this.view = new DataView(memory);
    this.maxPiece = Math.floor(this.capacity / 4);
  }

  /** Returns the offset where a frame of `bytes` may be written, waiting for space if needed. */
  reserve(bytes: number): number {
    const contiguous = this.capacity - this.head;
    const required = contiguous >= bytes ? bytes : contiguous + bytes;
    if (this.free() < required) this.waitForSpace(required);
    if (contiguous >= bytes) return this.head;
    if (contiguous >= RING_FRAME_HEADER) this.ring.writeUInt32LE(WRAP_MARKER, this.head);
    return 0;
  }

  /** Publishes the frame at `start` (from `reserve`) with `length` payload bytes. */
  commit(start: number, length: number, flags: number): void {
    this.committedBytes += length;
    this.ring.writeUInt32LE(length, start);
    this.ring.writeUInt32LE(flags, start + 4);
    let head = start + RING_FRAME_HEADER + length;
    if (head === this.capacity) head = 0;
    this.head = head;
    Atomics.store(this.control, SLOT.head, head);
    if ((++this.producedFrames & (LAG_CHECK_FRAMES - 1)) === 0) this.boundLag();
  }

  /** One frame of UTF-8 text; `maxBytes` bounds its encoded size (3 bytes per UTF-16 unit). */
  writeString(text: string, maxBytes: number): void {
    const start = this.reserve(RING_FRAME_HEADER + maxBytes);
    const length = this.ring.write(text, start + RING_FRAME_HEADER, "utf8");
    this.commit(start, length, 0);
  }

  /** `bytes` as one record, in pieces of at most `maxPiece`. */
  writeLarge(bytes: Buffer): void {
    for (let offset = 0; offset < bytes.length; offset += this.maxPiece) {
      const piece = bytes.subarray(offset, offset + this.maxPiece);
      const start = this.reserve(RING_FRAME_HEADER + piece.length);
      piece.copy(this.ring, start + RING_FRAME_HEADER);
      const last = offset + this.maxPiece >= bytes.length;
      this.commit(start, piece.length, last ? 0 : FLAG_CONTINUED);
    }
  }

  free(): number {
    const tail = Atomics.load(this.control, SLOT.tail);
    const used = (this.head - tail + this.capacity) % this.capacity;
    return this.capacity - 1 - used;
  }

  /** Waits until the worker has consumed every frame produced more than LAG_BOUND_MS ago. */
  private boundLag(): void {
    const now = performance.now();
    this.checkpoints.push({ at: now, frames: this.producedFrames });
    let due: number | null = null;
    while (this.checkpoints.length > 0 && (this.checkpoints[0]?.at ?? now) <= now - LAG_BOUND_MS) {
      due = this.checkpoints.shift()?.frames ?? null;
    }
    if (due !== null) this.waitConsumed(due);
  }

  /** Waits until the worker has consumed the first `due` frames (compared modulo 2^32). */
  waitConsumed(due: number): void {
    const started = Date.now();
    for (;;) {
      const consumed = Atomics.load(this.control, SLOT.consumedFrames);
      if (((consumed - due) | 0) >= 0) break;
      Atomics.notify(this.control, SLOT.head);
      Atomics.wait(this.control, SLOT.consumedFrames, consumed, 50);
    }
    this.stalledMs += Date.now() - started;
  }

  private waitForSpace(required: number): void {
    const started = Date.now();
    let reported = false;
    while (this.free() < required) {
      Atomics.notify(this.control, SLOT.head);
      const tail = Atomics.load(this.control, SLOT.tail);
      if (this.free() >= required) break;
      Atomics.wait(this.control, SLOT.tail, tail, 100);
      const waited = Date.now() - started;
      if (!reported && waited > 1000) {
        reported = true;
        this.onStall?.(waited);
      }
    }
    this.stalledMs += Date.now() - started;
  }
}
