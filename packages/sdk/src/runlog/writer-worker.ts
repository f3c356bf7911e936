/**
 * The writer worker's body. It runs in a worker thread (started with `eval`, so it works the
 * same from sources and from the build): it drains the shared ring, frames every record with
 * a length and a CRC, appends in batches with one write(2) per batch, and fdatasyncs at least
 * once a second, on every flush request, and at close. It never drops data: a failed write
 * is retried (the producer blocks once the ring is full).
 *
 * The function is serialised with `toString()`, so it must not reference anything outside
 * its own body: everything comes from `require` and `workerData`.
 */
import type * as FileSystem from "node:fs";
import type * as Threads from "node:worker_threads";
import type * as Zlib from "node:zlib";
import type { SlotTable } from "./ring-layout.js";

export interface WriterWorkerData {
  file: string;
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
  slots: SlotTable;
  frameMagic: number;
  frameHeaderBytes: number;
  ringFrameHeader: number;
  wrapMarker: number;
  flagContinued: number;
  kinds: { shift: number; key: number; row: number; payloadKey: number; payloadRow: number };
  syncIntervalMs: number;
  idlePollMs: number;
}

export function writerWorkerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- eval'd CommonJS worker body */
  const fs = require("node:fs") as typeof FileSystem;
  const zlib = require("node:zlib") as typeof Zlib;
  const threads = require("node:worker_threads") as typeof Threads;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const data = threads.workerData as WriterWorkerData;
  const S = data.slots;
  const ring = Buffer.from(data.ring);
  const capacity = ring.length;
  const control = new Int32Array(data.control);
  const fd = fs.openSync(data.file, "a");
  let tail = Atomics.load(control, S.tail);
  let frames = 0;
  let pendingPieces: Buffer[] = [];
  let dirty = false;
  let lastSync = Date.now();
  let out = Buffer.allocUnsafe(1 << 20);
  let outLength = 0;

  const K = data.kinds;
  const reserve = (bytes: number): void => {
    if (outLength + bytes <= out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(out.length * 2, outLength + bytes));
    out.copy(grown, 0, 0, outLength);
    out = grown;
  };
  /** Frames `payload`, preceded by the byte `prefix` when it is not -1. */
  const emitFrame = (payload: Buffer, prefix: number): void => {
    const length = payload.length + (prefix === -1 ? 0 : 1);
    reserve(data.frameHeaderBytes + length);
    const start = outLength + data.frameHeaderBytes;
    out.writeUInt32LE(data.frameMagic, outLength);
    out.writeUInt32LE(length, outLength + 8);
    if (prefix === -1) payload.copy(out, start);
    else {
      out[start] = prefix;
      payload.copy(out, start + 1);
    }
    out.writeUInt32LE(zlib.crc32(out.subarray(outLength + 8, start + length)) >>> 0, outLength + 4);
    outLength = start + length;
  };
  const retryDelay = (attempt: number): void => {
    Atomics.add(control, S.writeErrors, 1);
    Atomics.wait(control, S.sleep, 0, Math.min(5000, 100 * 2 ** Math.min(attempt, 6)));
  };
  const writeAll = (buffer: Buffer, length: number): void => {
    let written = 0;
    for (let attempt = 0; written < length;) {
      try {
        written += fs.writeSync(fd, buffer, written, length - written);
      } catch {
        retryDelay(attempt++);
      }
    }
  };
  const sync = (): void => {
    for (let attempt = 0; ;) {
      try {
        fs.fdatasyncSync(fd);
        break;
      } catch {
        retryDelay(attempt++);
      }
    }
    dirty = false;
    lastSync = Date.now();
  };
  /** Moves every complete ring frame between tail and head into `out`; returns the new tail. */
  const drain = (head: number): number => {
    let pos = tail;
    while (pos !== head) {
      if (capacity - pos < data.ringFrameHeader) {
        pos = 0;
        continue;
      }
      const length = ring.readUInt32LE(pos);
      if (length === data.wrapMarker) {
        pos = 0;
        continue;
      }
      const flags = ring.readUInt32LE(pos + 4);
      const start = pos + data.ringFrameHeader;
      const kind = (flags >>> K.shift) & 0xff;
      if (kind === K.row || kind === K.key) {
        emitFrame(ring.subarray(start, start + length), kind === K.row ? K.payloadRow : K.payloadKey);
      } else if ((flags & data.flagContinued) !== 0 || pendingPieces.length > 0) {
        pendingPieces.push(Buffer.from(ring.subarray(start, start + length)));
        if ((flags & data.flagContinued) === 0) {
          emitFrame(Buffer.concat(pendingPieces), -1);
          pendingPieces = [];
        }
      } else {
        emitFrame(ring.subarray(start, start + length), -1);
      }
      pos = start + length;
      if (pos === capacity) pos = 0;
      frames++;
    }
    return pos;
  };

  for (;;) {
    // Read the flush request and close flag BEFORE head: main publishes head first, so a
    // request seen here is never answered before the data written ahead of it.
    const requested = Atomics.load(control, S.flushRequested);
    const closing = Atomics.load(control, S.close) === 1;
    const head = Atomics.load(control, S.head);
    if (head !== tail) {
      outLength = 0;
      const newTail = drain(head);
      if (outLength > 0) {
        writeAll(out, outLength);
        dirty = true;
      }
      tail = newTail;
      Atomics.store(control, S.tail, tail);
      Atomics.store(control, S.consumedFrames, frames | 0);
      Atomics.notify(control, S.tail);
      Atomics.notify(control, S.consumedFrames);
      if (dirty && Date.now() - lastSync >= data.syncIntervalMs) sync();
      continue;
    }
    if (requested !== Atomics.load(control, S.flushDone)) {
      if (dirty) sync();
      Atomics.store(control, S.flushDone, requested);
      Atomics.notify(control, S.flushDone);
      continue;
    }
    if (closing) break;
    if (dirty && Date.now() - lastSync >= data.syncIntervalMs) sync();
    Atomics.wait(control, S.head, head, data.idlePollMs);
  }
  if (dirty) sync();
  fs.closeSync(fd);
  Atomics.store(control, S.exited, 1);
  Atomics.notify(control, S.exited);
}
