/**
 * The table through which the media worker tells the training thread that a file is written:
 * one slot per file in flight, in shared memory, so the training thread reads a result (and
 * waits for one) without its event loop — a training loop that never yields still gets them.
 *
 * Slot (SLOT_BYTES): i32 state (0 pending, 1 written, 2 failed) · i32 message length (failed) or
 * milliseconds the file took to make (written) · f64 size (written; while pending: Date.now() when
 * the job was posted) · 32 bytes sha256 · the failure message (UTF-8, at most MESSAGE_BYTES).
 */
export const RESULT_SLOTS = 4096;
export const SLOT_BYTES = 256;
const MESSAGE_AT = 48;
const MESSAGE_BYTES = SLOT_BYTES - MESSAGE_AT;

export const PENDING = 0;
export const WRITTEN = 1;
export const FAILED = 2;

export type FileResult =
  | { state: typeof WRITTEN; size: number; sha256: string; ms: number }
  | { state: typeof FAILED; message: string };

export class MediaResults {
  readonly states: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  /** The same memory as a Buffer: a hash is read as hex straight from it. */
  private readonly buffer: Buffer;

  /** The Int32 the media threads sleep on between polls (media-worker.ts). */
  readonly wake = new SharedArrayBuffer(4);
  private readonly wakeArray = new Int32Array(this.wake);

  constructor(readonly memory: SharedArrayBuffer = new SharedArrayBuffer(RESULT_SLOTS * SLOT_BYTES)) {
    this.states = new Int32Array(memory);
    this.bytes = new Uint8Array(memory);
    this.view = new DataView(memory);
    this.buffer = Buffer.from(memory);
  }

  /** Main thread: marks a slot pending before its job is posted, and when (postedAt). */
  reset(slot: number): void {
    this.view.setFloat64(slot * SLOT_BYTES + 8, Date.now(), true);
    Atomics.store(this.states, stateIndex(slot), PENDING);
  }

  /** Worker: Date.now() when the pending job of `slot` was posted (reset). */
  postedAt(slot: number): number {
    return this.view.getFloat64(slot * SLOT_BYTES + 8, true);
  }

  /** Worker: a file written, and how long making it took (ms: the queue learns its pace). */
  written(slot: number, size: number, sha256: Uint8Array, ms: number): void {
    const at = slot * SLOT_BYTES;
    this.view.setInt32(at + 4, Math.min(2 ** 31 - 1, Math.ceil(ms)), true);
    this.view.setFloat64(at + 8, size, true);
    this.bytes.set(sha256, at + 16);
    this.publish(slot, WRITTEN);
  }

  /** Worker: a file that could not be written, and why. */
  failed(slot: number, message: string): void {
    const at = slot * SLOT_BYTES;
    const encoded = Buffer.from(message, "utf8").subarray(0, MESSAGE_BYTES);
    this.bytes.set(encoded, at + MESSAGE_AT);
    this.view.setInt32(at + 4, encoded.length, true);
    this.publish(slot, FAILED);
  }

  /** Main thread: the slot's result, waiting up to `timeoutMs` (0: not at all); null while pending. */
  read(slot: number, timeoutMs: number): FileResult | null {
    const index = stateIndex(slot);
    const deadline = Date.now() + timeoutMs;
    let state = Atomics.load(this.states, index);
    // About to wait: wake the media threads from their poll sleep (a wake-up costs nothing now).
    if (state === PENDING && timeoutMs > 0) Atomics.notify(this.wakeArray, 0);
    while (state === PENDING && timeoutMs > 0) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(this.states, index, PENDING, Math.min(left, 100));
      state = Atomics.load(this.states, index);
    }
    const at = slot * SLOT_BYTES;
    if (state === WRITTEN)
      return {
        state,
        size: this.view.getFloat64(at + 8, true),
        sha256: this.buffer.toString("hex", at + 16, at + 48),
        ms: this.view.getInt32(at + 4, true),
      };
    if (state === FAILED) {
      const length = this.view.getInt32(at + 4, true);
      return {
        state,
        message: Buffer.from(this.bytes.subarray(at + MESSAGE_AT, at + MESSAGE_AT + length)).toString("utf8"),
      };
    }
    return null;
  }

  private publish(slot: number, state: number): void {
    Atomics.store(this.states, stateIndex(slot), state);
    Atomics.notify(this.states, stateIndex(slot));
  }
}

function stateIndex(slot: number): number {
  return (slot * SLOT_BYTES) / 4;
}
