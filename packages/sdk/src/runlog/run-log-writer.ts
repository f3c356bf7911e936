/**
 * Producer side of the record log: `append*()` runs on the caller's thread (inside `log()`),
 * copies the encoded record into a shared ring and returns; a worker thread does the I/O.
 *
 * Memory policy: the ring is fixed (8 MiB by default). When the disk cannot keep up and the
 * ring is full, `append*()` waits for the worker to free space: training slows down to disk
 * speed, but nothing that `log()` accepted is ever dropped. A record bigger than a quarter
 * of the ring travels in pieces.
 *
 * When the disk cannot be written at all (full, over quota, failing) the worker holds records
 * in memory up to `holdBytes` and then drops history rows (writer-worker.ts): `log()` never
 * blocks on a full disk, and `onDiskProblem` reports each change once, from the producer's
 * own thread, so a training loop that never yields still hears of it.
 */
import { performance } from "node:perf_hooks";
import { openSync, writeSync, closeSync, fdatasyncSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { stringifyExtended, type RunRecord } from "@stepwise/protocol";
import {
  encodeFileHeader,
  FRAME_HEADER_BYTES,
  KEY_TABLE_EVERY_BYTES,
  FRAME_MAGIC,
  PAYLOAD_KEY,
  PAYLOAD_KEY_TABLE,
  PAYLOAD_ROW,
  TAG_JSON,
  TAG_NUMBER,
} from "./log-format.js";
import {
  CONTROL_SLOTS,
  DISK_PROBLEM_CODES,
  FLAG_CONTINUED,
  KIND_KEY,
  KIND_ROW,
  KIND_SHIFT,
  RING_FRAME_HEADER,
  SLOT,
  WRAP_MARKER,
} from "./ring-layout.js";
import { writerWorkerMain, type WriterWorkerData } from "./writer-worker.js";
import { readDiskReport, SPACE_RESERVE_BYTES, SPACE_RESERVE_FILE, type DiskReport } from "./disk-report.js";

/**
 * How a close ended. complete: every record is in the file (the log ends with the exit record
 * when one was appended; rows dropped earlier were counted). incomplete: the disk still refused
 * writes at close and the last records were dropped (counted in diskReport()). timed-out: the
 * worker had not finished in time (it may still be writing).
 */
export type WriterClose = "complete" | "incomplete" | "timed-out";

export interface RunLogWriterOptions {
  /** Ring size in bytes (default 8 MiB): the most `log()` may run ahead of the disk. */
  ringBytes?: number;
  /** Longest time between two fdatasyncs while data is written (default 1000 ms). */
  syncIntervalMs?: number;
  /** How often an idle worker looks for new data (default 20 ms): bounds the write delay. */
  idlePollMs?: number;
  /** Called once per stall when `append*()` had to wait for the disk longer than 1 s. */
  onStall?: (waitedMs: number) => void;
  /** Memory held while the disk cannot be written, before history rows are dropped (default 64 MiB). */
  holdBytes?: number;
  /** Called on the producer's thread when writes start failing (with why) and when they work again (null). */
  onDiskProblem?: (problem: DiskReport) => void;
}

/**
 * The most the writer may fall behind `log()` in time. The ring alone bounds bytes, and 8 MiB
 * of compact binary rows is about a second of logging: too much to lose in a crash. Every
 * LAG_CHECK_FRAMES frames the producer checks that everything it produced LAG_BOUND_MS ago
 * has been written, and waits if not (so a process killed outright loses at most ~0.1 s).
 */
const LAG_BOUND_MS = 100;
const LAG_CHECK_FRAMES = 64;

const WORKER_SOURCE = `(${writerWorkerMain.toString()})()`;

export class RunLogWriter {
  private readonly ring: Buffer;
  private readonly view: DataView;
  /** Key → id for binary rows; the worker holds the same table. */
  private readonly keyIds = new Map<string, number>();
  private readonly jsonValues: string[] = [];
  private readonly capacity: number;
  private readonly control: Int32Array;
  private readonly worker: Worker;
  private readonly maxPiece: number;
  private readonly onStall: ((waitedMs: number) => void) | undefined;
  private readonly onDiskProblem: ((problem: DiskReport) => void) | undefined;
  private seenDiskEpisodes = 0;
  private head = 0;
  private producedFrames = 0;
  /** Each key's id and JSON text as a key-table entry (u32 id | u32 n | text), in id order. */
  private readonly keyTableEntries: Buffer[] = [];
  private keyTableBytes = 0;
  /** History rows appended so far: each key table says how many precede it. */
  private rowsAppended = 0;
  /** Frame bytes appended since the last key table, and how many may pass before the next one. */
  private bytesSinceKeyTable = 0;
  private keyTableDueBytes = KEY_TABLE_EVERY_BYTES;
  /** Set once the exit record is appended (with the last key table just before it). */
  private exitAppended = false;
  /** (time, producedFrames) pairs, one per LAG_CHECK_FRAMES frames, oldest first. */
  private readonly checkpoints: Array<{ at: number; frames: number }> = [];
  private closed = false;
  /** Total milliseconds `append*()` spent waiting for ring space. */
  stalledMs = 0;
  workerError: Error | null = null;

  /** Creates the log file (never overwrites one) and its space reserve, and starts its writer worker. */
  static create(file: string, options: RunLogWriterOptions = {}): RunLogWriter {
    const fd = openSync(file, "wx");
    try {
      writeSync(fd, encodeFileHeader());
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    writeFileSync(join(dirname(file), SPACE_RESERVE_FILE), Buffer.alloc(SPACE_RESERVE_BYTES));
    return new RunLogWriter(file, options);
  }

  private constructor(
    readonly file: string,
    options: RunLogWriterOptions,
  ) {
    this.capacity = options.ringBytes ?? 8 * 1024 * 1024;
    const ringMemory = new SharedArrayBuffer(this.capacity);
    const controlMemory = new SharedArrayBuffer(CONTROL_SLOTS * 4);
    this.ring = Buffer.from(ringMemory);
    this.view = new DataView(ringMemory);
    this.control = new Int32Array(controlMemory);
    this.maxPiece = Math.floor(this.capacity / 4);
    this.onStall = options.onStall;
    this.onDiskProblem = options.onDiskProblem;
    const workerData: WriterWorkerData = {
      file,
      ring: ringMemory,
      control: controlMemory,
      slots: SLOT,
      frameMagic: FRAME_MAGIC,
      frameHeaderBytes: FRAME_HEADER_BYTES,
      ringFrameHeader: RING_FRAME_HEADER,
      wrapMarker: WRAP_MARKER,
      flagContinued: FLAG_CONTINUED,
      kinds: {
        shift: KIND_SHIFT,
        key: KIND_KEY,
        row: KIND_ROW,
        payloadKey: PAYLOAD_KEY,
        payloadRow: PAYLOAD_ROW,
        payloadKeyTable: PAYLOAD_KEY_TABLE,
      },
      syncIntervalMs: options.syncIntervalMs ?? 1000,
      idlePollMs: options.idlePollMs ?? 20,
      holdBytes: options.holdBytes ?? 64 * 1024 * 1024,
      reserveFile: join(dirname(file), SPACE_RESERVE_FILE),
      problemCodes: DISK_PROBLEM_CODES,
    };
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    this.worker.on("error", (error) => {
      this.workerError = error;
    });
    this.worker.unref();
  }

  /** Appends one record (any type). */
  append(record: RunRecord): void {
    // The key table goes just before the exit, so that a finished log ends with its exit record
    // (the uploader's last acknowledged offset is then the end of the file).
    if (record.t === "exit" && !this.closed) {
      this.appendKeyTable();
      this.exitAppended = true;
    }
    this.appendJson(stringifyExtended(record));
  }

  /** Appends one record already encoded as extended JSON (the hot path of `log()`). */
  appendJson(json: string): void {
    if (this.closed) throw new Error("run log writer is closed");
    const maxBytes = json.length * 3;
    if (maxBytes <= this.maxPiece) this.writeString(json, maxBytes);
    else this.writeLarge(Buffer.from(json, "utf8"));
  }

  /**
   * Appends a history row (hot path of `log()`): numbers go in as raw float64 and keys as ids,
   * so no text is formatted here or in the worker. Rows too large for one ring piece go as JSON text.
   */
  appendHistoryRow(row: Record<string, unknown>): void {
    if (this.closed) throw new Error("run log writer is closed");
    const jsonValues = this.jsonValues;
    jsonValues.length = 0;
    let size = 4;
    let count = 0;
    for (const key in row) {
      const value = row[key];
      if (value === undefined) continue;
      count++;
      if (!this.keyIds.has(key)) this.defineKey(key);
      if (typeof value === "number") size += 13;
      else {
        const text = stringifyExtended(value);
        jsonValues.push(text);
        size += 9 + text.length * 3;
      }
    }
    this.rowsAppended++;
    if (RING_FRAME_HEADER + size > this.maxPiece) {
      this.appendJson(stringifyExtended({ t: "history", row }));
      if (this.bytesSinceKeyTable >= this.keyTableDueBytes) this.appendKeyTable();
      return;
    }
    const start = this.reserve(RING_FRAME_HEADER + size);
    const view = this.view;
    let at = start + RING_FRAME_HEADER;
    view.setUint32(at, count, true);
    at += 4;
    let nextJson = 0;
    for (const key in row) {
      const value = row[key];
      if (value === undefined) continue;
      view.setUint32(at, this.keyIds.get(key) as number, true);
      if (typeof value === "number") {
        view.setUint8(at + 4, TAG_NUMBER);
        view.setFloat64(at + 5, value, true);
        at += 13;
      } else {
        view.setUint8(at + 4, TAG_JSON);
        const length = this.ring.write(jsonValues[nextJson++] as string, at + 9, "utf8");
        view.setUint32(at + 5, length, true);
        at += 9 + length;
      }
    }
    this.commitFrame(start, at - start - RING_FRAME_HEADER, KIND_ROW << KIND_SHIFT);
    if (this.bytesSinceKeyTable >= this.keyTableDueBytes) this.appendKeyTable();
  }

  /**
   * Appends a key table (log-format.ts PAYLOAD_KEY_TABLE): every key so far and the number of
   * rows before it, so that a reader can decode rows whose key definition was damaged and count
   * what damage cost. It travels as a raw frame (its first byte marks it), so the worker frames
   * it like a JSON record. Called every KEY_TABLE_EVERY_BYTES (or 16 tables' worth) and at close.
   */
  private appendKeyTable(): void {
    const head = Buffer.alloc(9);
    head[0] = PAYLOAD_KEY_TABLE;
    head.writeUInt32LE(this.rowsAppended >>> 0, 1);
    head.writeUInt32LE(this.keyTableEntries.length, 5);
    this.writeLarge(Buffer.concat([head, ...this.keyTableEntries]));
    this.bytesSinceKeyTable = 0;
    this.keyTableDueBytes = Math.max(KEY_TABLE_EVERY_BYTES, 16 * this.keyTableBytes);
  }

  private defineKey(key: string): void {
    const id = this.keyIds.size;
    this.keyIds.set(key, id);
    const json = Buffer.from(JSON.stringify(key), "utf8");
    const entry = Buffer.alloc(8 + json.length);
    entry.writeUInt32LE(id, 0);
    entry.writeUInt32LE(json.length, 4);
    json.copy(entry, 8);
    this.keyTableEntries.push(entry);
    this.keyTableBytes += entry.length;
    const text = JSON.stringify(key) + ":";
    const start = this.reserve(RING_FRAME_HEADER + 4 + text.length * 3);
    this.view.setUint32(start + RING_FRAME_HEADER, id, true);
    const length = this.ring.write(text, start + RING_FRAME_HEADER + 4, "utf8");
    this.commitFrame(start, 4 + length, KIND_KEY << KIND_SHIFT);
  }

  private writeString(text: string, maxBytes: number): void {
    const start = this.reserve(RING_FRAME_HEADER + maxBytes);
    const length = this.ring.write(text, start + RING_FRAME_HEADER, "utf8");
    this.commitFrame(start, length, 0);
  }

  private writeLarge(bytes: Buffer): void {
    for (let offset = 0; offset < bytes.length; offset += this.maxPiece) {
      const piece = bytes.subarray(offset, offset + this.maxPiece);
      const start = this.reserve(RING_FRAME_HEADER + piece.length);
      piece.copy(this.ring, start + RING_FRAME_HEADER);
      const last = offset + this.maxPiece >= bytes.length;
      this.commitFrame(start, piece.length, last ? 0 : FLAG_CONTINUED);
    }
  }

  private commitFrame(start: number, length: number, flags: number): void {
    this.bytesSinceKeyTable += length;
    this.ring.writeUInt32LE(length, start);
    this.ring.writeUInt32LE(flags, start + 4);
    let head = start + RING_FRAME_HEADER + length;
    if (head === this.capacity) head = 0;
    this.head = head;
    Atomics.store(this.control, SLOT.head, head);
    if ((++this.producedFrames & (LAG_CHECK_FRAMES - 1)) === 0) this.boundLag();
    this.checkDisk();
  }

  /** Reports a change of the disk's state once (cheap: one atomic load when nothing changed). */
  checkDisk(): void {
    const episodes = Atomics.load(this.control, SLOT.diskEpisodes);
    if (episodes === this.seenDiskEpisodes) return;
    this.seenDiskEpisodes = episodes;
    this.onDiskProblem?.(this.diskReport());
  }

  diskReport(): DiskReport {
    return readDiskReport(this.control);
  }

  /** Waits until the worker has written every frame produced more than LAG_BOUND_MS ago. */
  private boundLag(): void {
    const now = performance.now();
    this.checkpoints.push({ at: now, frames: this.producedFrames });
    let due: number | null = null;
    while (this.checkpoints.length > 0 && (this.checkpoints[0]?.at ?? now) <= now - LAG_BOUND_MS) {
      due = this.checkpoints.shift()?.frames ?? null;
    }
    if (due === null) return;
    const started = Date.now();
    for (;;) {
      const consumed = Atomics.load(this.control, SLOT.consumedFrames);
      if (((consumed - due) | 0) >= 0) break;
      Atomics.notify(this.control, SLOT.head);
      Atomics.wait(this.control, SLOT.consumedFrames, consumed, 50);
    }
    this.stalledMs += Date.now() - started;
  }

  /** Returns the offset where a frame of `bytes` may be written, waiting for space if needed. */
  private reserve(bytes: number): number {
    const contiguous = this.capacity - this.head;
    const required = contiguous >= bytes ? bytes : contiguous + bytes;
    if (this.free() < required) this.waitForSpace(required);
    if (contiguous >= bytes) return this.head;
    if (contiguous >= RING_FRAME_HEADER) this.ring.writeUInt32LE(WRAP_MARKER, this.head);
    return 0;
  }

  private free(): number {
    const tail = Atomics.load(this.control, SLOT.tail);
    const used = (this.head - tail + this.capacity) % this.capacity;
    return this.capacity - 1 - used;
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

  /** Number of failed write/sync attempts the worker has retried so far. */
  get writeErrors(): number {
    return Atomics.load(this.control, SLOT.writeErrors);
  }

  /**
   * Blocks until everything appended so far is written and fdatasynced. False on timeout, and
   * at once while the disk cannot be written (the records wait in memory).
   */
  flushSync(timeoutMs = 30_000): boolean {
    const ticket = this.requestFlush();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = Atomics.load(this.control, SLOT.flushDone);
      if (done - ticket >= 0) return this.diskReport().problem === null;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.workerError) return false;
      Atomics.wait(this.control, SLOT.flushDone, done, Math.min(remaining, 100));
    }
  }

  /** Like `flushSync` without blocking the event loop. */
  async flush(timeoutMs = 30_000): Promise<boolean> {
    if (this.closed) return true;
    // Atomics.waitAsync holds no event-loop handle: keep the loop alive while we wait.
    this.worker.ref();
    try {
      return await this.waitFlushed(this.requestFlush(), timeoutMs);
    } finally {
      this.worker.unref();
    }
  }

  private async waitFlushed(ticket: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = Atomics.load(this.control, SLOT.flushDone);
      if (done - ticket >= 0) return this.diskReport().problem === null;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.workerError) return false;
      const waiting = Atomics.waitAsync(this.control, SLOT.flushDone, done, Math.min(remaining, 100));
      if (waiting.async) await waiting.value;
    }
  }

  private requestFlush(): number {
    const ticket = Atomics.add(this.control, SLOT.flushRequested, 1) + 1;
    Atomics.notify(this.control, SLOT.head);
    return ticket;
  }

  /** Stops the worker once it has written and fdatasynced everything. Further appends throw. */
  closeSync(timeoutMs = 30_000): WriterClose {
    this.requestClose();
    Atomics.wait(this.control, SLOT.exited, 0, timeoutMs);
    return this.closeResult();
  }

  /** Like `closeSync` without blocking the event loop; safe to call while a sync close runs and vice versa. */
  async close(timeoutMs = 30_000): Promise<WriterClose> {
    this.requestClose();
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      const waiting = Atomics.waitAsync(this.control, SLOT.exited, 0, timeoutMs);
      if (waiting.async) await waiting.value;
      return this.closeResult();
    } finally {
      clearInterval(keepAlive);
    }
  }

  private closeResult(): WriterClose {
    const exited = Atomics.load(this.control, SLOT.exited);
    return exited === 0 ? "timed-out" : exited === 1 ? "complete" : "incomplete";
  }

  private requestClose(): void {
    // A last key table for a log closed without an exit record, so its counts and keys are
    // complete; skipped when the worker has failed or the ring has no room (closing must not
    // wait on a stuck disk).
    if (!this.closed && !this.exitAppended && this.bytesSinceKeyTable > 0 && this.workerError === null) {
      const bytes = 9 + this.keyTableBytes;
      if (bytes <= this.maxPiece && this.free() >= 2 * (RING_FRAME_HEADER + bytes)) this.appendKeyTable();
    }
    this.closed = true;
    Atomics.store(this.control, SLOT.close, 1);
    Atomics.notify(this.control, SLOT.head);
  }
}
