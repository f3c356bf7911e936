/**
 * The writer worker's body. It runs in a worker thread (started with `eval`, so it works the
 * same from sources and from the build): it drains the shared ring, frames every record with
 * a length and a CRC, appends in batches with one write(2) per batch, and fdatasyncs at least
 * once a second, on every flush request, and at close.
 *
 * When writes fail (a full disk, a quota, an I/O error) the worker never blocks the producer:
 * it cuts the file back to its last whole frame, keeps consuming the ring, and holds the frames
 * in memory, in order, up to `holdBytes`. Beyond that, history rows are dropped (counted in
 * SLOT.droppedRows); key definitions are always kept, other records up to twice the hold (key
 * tables too, but a table dropped is not counted: a later one replaces it). The
 * held frames are retried with backoff and written in order once space is back. At close, if
 * writes still fail, the worker deletes the run's space reserve (a small file written at
 * `init()`) so that the last records (summary snapshot, exit) still fit, then gives up.
 *
 * The function is serialised with `toString()`, so it must not reference anything outside
 * its own body: everything comes from `require` and `workerData`.
 */
import type * as FileSystem from "node:fs";
import type * as Threads from "node:worker_threads";
import type * as Zlib from "node:zlib";
import type { expandDeferredRow } from "./deferred-row.js";
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
  kinds: {
    shift: number;
    key: number;
    row: number;
    deferred: number;
    payloadKey: number;
    payloadRow: number;
    payloadKeyTable: number;
  };
  syncIntervalMs: number;
  idlePollMs: number;
  /** Bytes of frames held in memory while writes fail, before history rows are dropped. */
  holdBytes: number;
  /** A file on the log's filesystem deleted at close to make room for the last records. */
  reserveFile: string;
  /** errno code → DISK_PROBLEM index. */
  problemCodes: readonly string[];
  /** The media threads' results (media-results.ts), read to expand deferred rows. */
  mediaResults: SharedArrayBuffer;
  /** Longest a deferred row waits for its files before it is written without them. */
  deferredWaitMs: number;
}

export function writerWorkerMain(expand: typeof expandDeferredRow): void {
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
  const mediaStates = new Int32Array(data.mediaResults);
  const mediaBytes = Buffer.from(data.mediaResults);
  /** When the deferred row at the tail was first found waiting for its files (0: none waits). */
  let deferredSince = 0;

  /**
   * History rows dropped so far (SLOT.droppedRows, which only this worker writes). Each key
   * table's row count is lowered by the rows dropped before it, so that a reader counts rows
   * dropped for a full disk as dropped (run.status()), not as damage.
   */
  let rowsDropped = 0;
  const dropRow = (): void => {
    rowsDropped++;
    Atomics.add(control, S.droppedRows, 1);
  };
  /** Lowers the row count of the key table frame at buffer[at] by `rows`, and its CRC with it. */
  const lowerTableRows = (buffer: Buffer, at: number, size: number, rows: number): void => {
    if (rows === 0) return;
    const count = at + data.frameHeaderBytes + 1;
    buffer.writeUInt32LE((buffer.readUInt32LE(count) - rows) >>> 0, count);
    buffer.writeUInt32LE(zlib.crc32(buffer.subarray(at + 8, at + size)) >>> 0, at + 4);
  };
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
    if (prefix === -1) {
      payload.copy(out, start);
      // A key table counts the rows appended before it; rows dropped in memory are not in the log.
      if (payload[0] === K.payloadKeyTable && rowsDropped > 0)
        out.writeUInt32LE((out.readUInt32LE(start + 1) - rowsDropped) >>> 0, start + 1);
    } else {
      out[start] = prefix;
      payload.copy(out, start + 1);
    }
    out.writeUInt32LE(zlib.crc32(out.subarray(outLength + 8, start + length)) >>> 0, outLength + 4);
    outLength = start + length;
  };
  /** Size of the file up to its last whole frame: a failed write is cut back to it. */
  let goodSize = fs.fstatSync(fd).size;
  /**
   * Frames waiting while writes fail, oldest first, copied into contiguous chunks of about
   * 1 MiB (one allocation per chunk, not per frame); the first chunk's frames before `heldHead`
   * are written already.
   */
  let held: Array<{ bytes: Buffer; length: number }> = [];
  let heldHead = 0;
  let heldBytes = 0;
  let failAttempt = 0;
  let nextTry = 0;
  const failing = (): boolean => Atomics.load(control, S.diskProblem) !== 0;
  const setProblem = (problem: number): void => {
    if ((Atomics.load(control, S.diskProblem) === 0) !== (problem === 0))
      Atomics.add(control, S.diskEpisodes, 1);
    Atomics.store(control, S.diskProblem, problem);
  };
  const problemOf = (error: unknown): number => {
    const code = (error as { code?: unknown }).code;
    const index = data.problemCodes.indexOf(typeof code === "string" ? code : "");
    return index > 0 ? index : data.problemCodes.length - 1;
  };
  /**
   * Appends `length` bytes of whole frames. Returns how many bytes of whole frames reached the
   * file: all of them, or on failure those before the first frame cut short, which is cut off
   * again so that the file always ends on a whole frame.
   */
  const tryWrite = (buffer: Buffer, length: number): number => {
    let written = 0;
    try {
      while (written < length) written += fs.writeSync(fd, buffer, written, length - written);
      goodSize += length;
      dirty = true;
      return length;
    } catch (error) {
      Atomics.add(control, S.writeErrors, 1);
      setProblem(problemOf(error));
      let whole = 0;
      for (let next = 0; next <= written;) {
        whole = next;
        if (next + data.frameHeaderBytes > length) break;
        next += data.frameHeaderBytes + buffer.readUInt32LE(next + 8);
      }
      goodSize += whole;
      if (written > whole) {
        try {
          fs.ftruncateSync(fd, goodSize);
        } catch {
          // The torn bytes stay (readers skip them as damage). They are part of the file now:
          // a later failure must cut back to after them, not into whole frames written since.
          goodSize += written - whole;
        }
      }
      if (whole > 0) dirty = true;
      return whole;
    }
  };
  const isHistoryJson = (payload: Buffer): boolean =>
    payload.length > 14 && payload.toString("latin1", 0, 14) === '{"t":"history"';
  const ROW = 0;
  const KEY = 1;
  const TABLE = 2;
  const RECORD = 3;
  /**
   * What the frame at buffer[at] holds: a history row (dropped past the hold), a key definition
   * (always kept), a key table (derived data: a later table replaces one dropped, never counted)
   * or another record (kept up to twice the hold, then counted in SLOT.droppedRecords).
   */
  const frameKind = (buffer: Buffer, at: number, size: number): number => {
    const first = buffer[at + data.frameHeaderBytes];
    if (first === K.payloadRow) return ROW;
    if (first === K.payloadKey) return KEY;
    if (first === K.payloadKeyTable) return TABLE;
    const payload = buffer.subarray(at + data.frameHeaderBytes, at + size);
    return first === 0x7b && isHistoryJson(payload) ? ROW : RECORD;
  };
  const frameSize = (buffer: Buffer, at: number): number =>
    data.frameHeaderBytes + buffer.readUInt32LE(at + 8);
  const holdFrame = (buffer: Buffer, at: number, size: number): void => {
    let last = held[held.length - 1];
    if (last === undefined || last.length + size > last.bytes.length) {
      last = { bytes: Buffer.allocUnsafe(Math.max(1 << 20, size)), length: 0 };
      held.push(last);
    }
    buffer.copy(last.bytes, last.length, at, at + size);
    last.length += size;
    heldBytes += size;
  };
  const publishHeld = (): void => {
    Atomics.store(control, S.heldKiB, Math.ceil(heldBytes / 1024));
  };
  /** Holds the whole frames of buffer[0, length), dropping history rows beyond the hold. */
  const hold = (buffer: Buffer, length: number): void => {
    // Rows dropped before this batch are already taken off its tables (emitFrame).
    const droppedBefore = rowsDropped;
    for (let at = 0; at < length;) {
      const size = frameSize(buffer, at);
      const kind = frameKind(buffer, at, size);
      if (kind === ROW && heldBytes + size > data.holdBytes) dropRow();
      else if (kind === RECORD && heldBytes + size > 2 * data.holdBytes)
        Atomics.add(control, S.droppedRecords, 1);
      else if (kind !== TABLE || heldBytes + size <= 2 * data.holdBytes) {
        if (kind === TABLE) lowerTableRows(buffer, at, size, rowsDropped - droppedBefore);
        holdFrame(buffer, at, size);
      }
      at += size;
    }
    publishHeld();
  };
  /** Takes every held frame out of the hold and hands each to `each`, oldest first. */
  const takeHeld = (each: (buffer: Buffer, at: number, size: number) => void): void => {
    const chunks = held;
    let at = heldHead;
    held = [];
    heldHead = 0;
    heldBytes = 0;
    for (const chunk of chunks) {
      for (; at < chunk.length; at += frameSize(chunk.bytes, at))
        each(chunk.bytes, at, frameSize(chunk.bytes, at));
      at = 0;
    }
  };
  /** Writes the held frames in order, as far as the disk lets it; true once none is left. */
  const writeHeld = (): boolean => {
    for (let chunk = held[0]; chunk !== undefined; chunk = held[0]) {
      const length = chunk.length - heldHead;
      const written = tryWrite(chunk.bytes.subarray(heldHead), length);
      heldHead += written;
      heldBytes -= written;
      publishHeld();
      if (written < length) {
        nextTry = Date.now() + Math.min(2000, 100 * 2 ** Math.min(failAttempt++, 5));
        return false;
      }
      held.shift();
      heldHead = 0;
    }
    failAttempt = 0;
    setProblem(0);
    return true;
  };
  /** Appends out[0, outLength): directly while writes succeed, else behind what is held. */
  const emit = (): void => {
    if (outLength === 0) return;
    const written = failing() ? 0 : tryWrite(out, outLength);
    if (written < outLength) hold(out.subarray(written), outLength - written);
  };
  /**
   * At close: the last tries, then without the held rows into the reserve; counts what is left.
   * True when every held record other than rows reached the file (the log ends with its exit).
   */
  const finalWrite = (): boolean => {
    for (let tries = 0; tries < 10 && !writeHeld(); tries++) Atomics.wait(control, S.sleep, 0, 100);
    if (held.length === 0) return true;
    // The reserve is for the last records: rows written into it could leave no room for the exit.
    fs.rmSync(data.reserveFile, { force: true });
    const droppedBefore = rowsDropped;
    takeHeld((buffer, at, size) => {
      const kind = frameKind(buffer, at, size);
      if (kind === ROW) dropRow();
      else {
        if (kind === TABLE) lowerTableRows(buffer, at, size, rowsDropped - droppedBefore);
        holdFrame(buffer, at, size);
      }
    });
    if (writeHeld()) return true;
    takeHeld((buffer, at, size) => {
      if (frameKind(buffer, at, size) === RECORD) Atomics.add(control, S.droppedRecords, 1);
    });
    publishHeld();
    return false;
  };
  /**
   * fdatasync; a failure is only counted (SLOT.writeErrors) and tried again at the next
   * interval. It does not hold frames: writes still succeed, and a sync failure that held
   * frames would clear at the next write, so the disk state would flip every second.
   */
  const sync = (): void => {
    try {
      fs.fdatasyncSync(fd);
      dirty = false;
    } catch {
      Atomics.add(control, S.writeErrors, 1);
    }
    lastSync = Date.now();
  };
  /**
   * Frames waiting behind a deferred row (deferred-row.ts) whose files are not written yet, in
   * ring order with their ordinals: history rows, key definitions and tables, the exit record.
   * Other records (save()'s files, config, summary) do not wait for it, as in the media queue.
   */
  const parked: Array<{ frame: number; prefix: number; deferred: boolean; bytes: Buffer }> = [];
  const overtakes = (payload: Buffer): boolean =>
    payload[0] === 0x7b && !isHistoryJson(payload) && payload.toString("latin1", 0, 11) !== '{"t":"exit"';
  const route = (payload: Buffer, prefix: number, deferred: boolean): void => {
    if (!deferred && (parked.length === 0 || (prefix === -1 && overtakes(payload))))
      emitFrame(payload, prefix);
    else parked.push({ frame: frames, prefix, deferred, bytes: Buffer.from(payload) });
  };
  /** Writes the parked frames in order up to the first deferred row whose files are not written. */
  const unpark = (): void => {
    for (let first = parked[0]; first !== undefined; first = parked[0]) {
      if (first.deferred) {
        const now = Date.now();
        if (deferredSince === 0) deferredSince = now;
        const giveUp = now - deferredSince >= data.deferredWaitMs;
        const records = expand(first.bytes.toString("utf8"), mediaStates, mediaBytes, giveUp, now);
        if (records === null) return;
        deferredSince = 0;
        for (const record of records) emitFrame(Buffer.from(record, "utf8"), -1);
      } else emitFrame(first.bytes, first.prefix);
      parked.shift();
    }
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
      if (kind === K.deferred) {
        route(Buffer.from(ring.subarray(start, start + length)), -1, true);
      } else if (kind === K.row || kind === K.key) {
        route(ring.subarray(start, start + length), kind === K.row ? K.payloadRow : K.payloadKey, false);
      } else if ((flags & data.flagContinued) !== 0 || pendingPieces.length > 0) {
        pendingPieces.push(Buffer.from(ring.subarray(start, start + length)));
        if ((flags & data.flagContinued) === 0) {
          route(Buffer.concat(pendingPieces), -1, false);
          pendingPieces = [];
        }
      } else {
        route(ring.subarray(start, start + length), -1, false);
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
    if (failing() && Date.now() >= nextTry) writeHeld();
    if (head !== tail || parked.length > 0) {
      outLength = 0;
      const newTail = head !== tail ? drain(head) : tail;
      unpark();
      emit();
      tail = newTail;
      Atomics.store(control, S.tail, tail);
      // Parked frames are not consumed yet: log() keeps within reach of them (ring-producer.ts),
      // and the result slot of a deferred row is not reused before it is expanded.
      Atomics.store(control, S.consumedFrames, (parked[0]?.frame ?? frames) | 0);
      Atomics.notify(control, S.tail);
      Atomics.notify(control, S.consumedFrames);
      if (dirty && Date.now() - lastSync >= data.syncIntervalMs) sync();
      // A deferred row waits for its files: look again shortly (or at once for new frames).
      if (parked.length > 0) Atomics.wait(control, S.head, head, 2);
      continue;
    }
    if (requested !== Atomics.load(control, S.flushDone)) {
      // While writes fail a flush cannot be durable: it is answered at once (the producer sees
      // SLOT.diskProblem) rather than blocking `status()` or the exit path.
      if (dirty) sync();
      Atomics.store(control, S.flushDone, requested);
      Atomics.notify(control, S.flushDone);
      continue;
    }
    if (closing) break;
    if (dirty && Date.now() - lastSync >= data.syncIntervalMs) sync();
    Atomics.wait(control, S.head, head, data.idlePollMs);
  }
  // Complete (1) when every frame consumed is in the file or was a row dropped and counted
  // earlier; 2 when close left records the disk would not take.
  const complete = held.length === 0 || finalWrite();
  if (dirty) sync();
  fs.closeSync(fd);
  fs.rmSync(data.reserveFile, { force: true });
  Atomics.store(control, S.exited, complete ? 1 : 2);
  Atomics.notify(control, S.exited);
}
