/**
 * Producer side of the record log: `append*()` runs on the caller's thread (inside `log()`),
 * copies the encoded record into a shared ring (ring-producer.ts: bounded memory, `log()` waits
 * for a slow disk and stays within ~0.1 s of it) and returns; a worker thread does the I/O.
 *
 * When the disk cannot be written at all (full, over quota, failing) the worker holds records
 * in memory up to `holdBytes` and then drops history rows (writer-worker.ts): `log()` never
 * blocks on a full disk, and `onDiskProblem` reports each change once, from the producer's
 * own thread, so a training loop that never yields still hears of it.
 */
import { closeSync, fdatasyncSync, openSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Worker } from "node:worker_threads";
import { stringifyExtended, type RunRecord } from "@stepwise/protocol";
import { readDiskReport, SPACE_RESERVE_BYTES, SPACE_RESERVE_FILE, type DiskReport } from "./disk-report.js";
import { KeyCheckpoints } from "./key-checkpoints.js";
import { keyDefinitionText } from "./key-payloads.js";
import { encodeFileHeader, TAG_JSON, TAG_NUMBER } from "./log-format.js";
import { MediaResults } from "../media/media-results.js";
import {
  CONTROL_SLOTS,
  KIND_DEFERRED,
  KIND_KEY,
  KIND_ROW,
  KIND_SHIFT,
  RING_FRAME_HEADER,
  SLOT,
} from "./ring-layout.js";
import { RingProducer } from "./ring-producer.js";
import { hasPending } from "../media/pending-media.js";
import { jsonText } from "./json-text.js";
import { MediaQueue, type MediaQueueSink } from "./media-queue.js";
import { startWriterWorker } from "./start-writer-worker.js";

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
  /** Config writes and warnings of logged media (media-queue.ts); without it class labels are not kept. */
  media?: Pick<MediaQueueSink, "setConfig" | "warn" | "fileRecorded">;
}

export class RunLogWriter {
  private readonly control: Int32Array;
  private readonly producer: RingProducer;
  private readonly keys = new KeyCheckpoints();
  private readonly jsonValues: string[] = [];
  private readonly worker: Worker;
  private readonly onDiskProblem: ((problem: DiskReport) => void) | undefined;
  private seenDiskEpisodes = 0;
  /** Set once the exit record is appended (with the last key table just before it). */
  private exitAppended = false;
  private closed = false;
  /** Rows and records waiting for their media files (created at the first media logged). */
  private media: MediaQueue | null = null;
  private readonly mediaSink: Pick<MediaQueueSink, "setConfig" | "warn" | "fileRecorded">;
  /** The media threads' results, shared with the worker too (it expands deferred rows). */
  private readonly mediaResults = new MediaResults();
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
    const ringMemory = new SharedArrayBuffer(options.ringBytes ?? 8 * 1024 * 1024);
    const controlMemory = new SharedArrayBuffer(CONTROL_SLOTS * 4);
    this.control = new Int32Array(controlMemory);
    this.producer = new RingProducer(ringMemory, this.control, options.onStall);
    this.onDiskProblem = options.onDiskProblem;
    this.mediaSink = options.media ?? { setConfig: () => undefined, warn: () => undefined };
    this.worker = startWriterWorker(file, ringMemory, controlMemory, {
      syncIntervalMs: options.syncIntervalMs ?? 1000,
      idlePollMs: options.idlePollMs ?? 20,
      holdBytes: options.holdBytes ?? 64 * 1024 * 1024,
      mediaResults: this.mediaResults.memory,
    });
    this.worker.on("error", (error) => {
      this.workerError = error;
    });
    this.worker.unref();
  }

  /** Total milliseconds `append*()` spent waiting for ring space or for the worker to catch up. */
  get stalledMs(): number {
    return this.producer.stalledMs;
  }

  /**
   * Appends one record (any type). One holding media waits for its files (media-queue.ts); one
   * without goes straight in, except the exit record and a record of a type already waiting.
   */
  append(record: RunRecord): void {
    if (this.media?.mustQueue(record) === true || hasPending(record)) {
      if (this.closed) throw new Error("run log writer is closed");
      this.mediaQueue().enqueueRecord(record);
      return;
    }
    this.appendRecordNow(record);
  }

  private appendRecordNow(record: RunRecord): void {
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
    if (maxBytes <= this.producer.maxPiece) this.producer.writeString(json, maxBytes);
    else this.producer.writeLarge(Buffer.from(json, "utf8"));
    this.checkDisk();
  }

  /**
   * Appends a history row (hot path of `log()`): numbers go in as raw float64 and keys as ids,
   * so no text is formatted here or in the worker. Rows too large for one ring piece go as JSON text.
   */
  appendHistoryRow(row: Record<string, unknown>): void {
    if (this.closed) throw new Error("run log writer is closed");
    if (this.media?.waiting === true || hasPending(row)) {
      this.mediaQueue().enqueueRow(row);
      return;
    }
    this.appendRowNow(row);
  }

  private mediaQueue(): MediaQueue {
    this.media ??= new MediaQueue(
      dirname(this.file),
      {
        appendRow: (row) => this.appendRowNow(row),
        appendRecord: (record) => this.appendRecordNow(record),
        appendRecordJson: (json) => this.appendJson(json),
        appendDeferred: (text) => this.appendDeferred(text),
        waitConsumed: (frames) => this.producer.waitConsumed(frames),
        ...this.mediaSink,
      },
      undefined,
      this.mediaResults,
    );
    return this.media;
  }

  /**
   * A history row waiting for its media files, as one ring frame the worker expands once they
   * are written (deferred-row.ts); null when it does not fit one frame. Else the frames
   * produced so far, this one included (a result slot it reads is not reused before then).
   */
  private appendDeferred(text: string): number | null {
    const producer = this.producer;
    const maxBytes = text.length * 3;
    if (RING_FRAME_HEADER + maxBytes > producer.maxPiece) return null;
    const start = producer.reserve(RING_FRAME_HEADER + maxBytes);
    const length = producer.ring.write(text, start + RING_FRAME_HEADER, "utf8");
    this.keys.rowsAppended++;
    producer.commit(start, length, KIND_DEFERRED << KIND_SHIFT);
    const frames = producer.producedFrames;
    if (this.keys.due(producer.committedBytes)) this.appendKeyTable();
    this.checkDisk();
    return frames;
  }

  private appendRowNow(row: Record<string, unknown>): void {
    const ids = this.keys.ids;
    const jsonValues = this.jsonValues;
    jsonValues.length = 0;
    let size = 4;
    let count = 0;
    for (const key in row) {
      const value = row[key];
      if (value === undefined) continue;
      count++;
      if (!ids.has(key)) this.defineKey(key);
      if (typeof value === "number") size += 13;
      else {
        const text = jsonText(value);
        jsonValues.push(text);
        size += 9 + text.length * 3;
      }
    }
    this.keys.rowsAppended++;
    const producer = this.producer;
    if (RING_FRAME_HEADER + size > producer.maxPiece) {
      this.appendJson(stringifyExtended({ t: "history", row }));
      if (this.keys.due(producer.committedBytes)) this.appendKeyTable();
      return;
    }
    const start = producer.reserve(RING_FRAME_HEADER + size);
    const view = producer.view;
    let at = start + RING_FRAME_HEADER;
    view.setUint32(at, count, true);
    at += 4;
    let nextJson = 0;
    for (const key in row) {
      const value = row[key];
      if (value === undefined) continue;
      view.setUint32(at, ids.get(key) as number, true);
      if (typeof value === "number") {
        view.setUint8(at + 4, TAG_NUMBER);
        view.setFloat64(at + 5, value, true);
        at += 13;
      } else {
        view.setUint8(at + 4, TAG_JSON);
        const length = producer.ring.write(jsonValues[nextJson++] as string, at + 9, "utf8");
        view.setUint32(at + 5, length, true);
        at += 9 + length;
      }
    }
    producer.commit(start, at - start - RING_FRAME_HEADER, KIND_ROW << KIND_SHIFT);
    if (this.keys.due(producer.committedBytes)) this.appendKeyTable();
    this.checkDisk();
  }

  /**
   * Appends a key table (log-format.ts PAYLOAD_KEY_TABLE): every key so far and the number of
   * rows before it, so that a reader can decode rows whose key definition was damaged and count
   * what damage cost. It travels as a raw frame (its first byte marks it), so the worker frames
   * it like a JSON record. Called when due (key-checkpoints.ts), before the exit and at close.
   */
  private appendKeyTable(): void {
    this.producer.writeLarge(this.keys.table());
    this.keys.tableAppended(this.producer.committedBytes);
  }

  private defineKey(key: string): void {
    const id = this.keys.define(key);
    const text = keyDefinitionText(key);
    const producer = this.producer;
    const start = producer.reserve(RING_FRAME_HEADER + 4 + text.length * 3);
    producer.view.setUint32(start + RING_FRAME_HEADER, id, true);
    const length = producer.ring.write(text, start + RING_FRAME_HEADER + 4, "utf8");
    producer.commit(start, 4 + length, KIND_KEY << KIND_SHIFT);
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

  /** Number of failed write/sync attempts the worker has retried so far. */
  get writeErrors(): number {
    return Atomics.load(this.control, SLOT.writeErrors);
  }

  /**
   * Resolves once everything appended so far is written and fdatasynced: true then, false on
   * timeout, and at once while the disk cannot be written (the records wait in memory).
   */
  async flush(timeoutMs = 30_000): Promise<boolean> {
    if (this.closed) return true;
    this.media?.drain(true);
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
    // A worker known to have failed writes nothing more: no wait (its error arrives as an event,
    // so one that fails during this blocking wait is only noticed at the timeout).
    if (this.workerError === null) Atomics.wait(this.control, SLOT.exited, 0, timeoutMs);
    return this.closeResult();
  }

  /** Like `closeSync` without blocking the event loop; safe to call while a sync close runs and vice versa. */
  async close(timeoutMs = 30_000): Promise<WriterClose> {
    this.requestClose();
    const keepAlive = setInterval(() => undefined, 1000);
    const deadline = Date.now() + timeoutMs;
    try {
      // In slices, so that a worker that failed ends the wait instead of the timeout.
      while (Atomics.load(this.control, SLOT.exited) === 0 && this.workerError === null) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        const waiting = Atomics.waitAsync(this.control, SLOT.exited, 0, Math.min(remaining, 100));
        if (waiting.async) await waiting.value;
      }
      return this.closeResult();
    } finally {
      clearInterval(keepAlive);
    }
  }

  private closeResult(): WriterClose {
    const exited = Atomics.load(this.control, SLOT.exited);
    if (exited === 0 && this.workerError !== null) return "incomplete";
    return exited === 0 ? "timed-out" : exited === 1 ? "complete" : "incomplete";
  }

  private requestClose(): void {
    if (!this.closed) this.media?.close();
    // A last key table for a log closed without an exit record, so its counts and keys are
    // complete; skipped when the worker has failed or the ring has no room (closing must not
    // wait on a stuck disk).
    const producer = this.producer;
    if (
      !this.closed &&
      !this.exitAppended &&
      this.keys.framesSinceTable(producer.committedBytes) &&
      this.workerError === null
    ) {
      const bytes = this.keys.tableBytes;
      if (bytes <= producer.maxPiece && producer.free() >= 2 * (RING_FRAME_HEADER + bytes))
        this.appendKeyTable();
    }
    this.closed = true;
    Atomics.store(this.control, SLOT.close, 1);
    Atomics.notify(this.control, SLOT.head);
  }
}
