/**
 * Follows a run's record log while its writer appends to it: returns each complete frame once,
 * in order, and null when the next frame is not (yet) complete. It keeps its file descriptor,
 * buffer and key table between calls, so following a growing log costs O(new bytes), not a
 * re-read from the start (RunLogReader reads a fixed snapshot from the file header on).
 * A damaged region (a complete frame that fails its checks) is skipped with RunLogReader's
 * resynchronisation and reported. A binary row whose keys no frame read so far defines (its
 * key definition was damaged) stops the tail there: the live upload never passes a row it could
 * not send, and `stepwise sync`, which reads the finished log with the run log reader and finds
 * such keys in later key tables, uploads the rest.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { crc32 } from "node:zlib";
import { CorruptDataError, type RunRecord } from "@stepwise/protocol";
import {
  FILE_HEADER_BYTES,
  FILE_MAGIC,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  MAX_RECORD_BYTES,
} from "../runlog/log-format.js";
import { RunLogReader } from "../runlog/run-log-reader.js";
import { decodePayload } from "./frame-payload.js";

export interface TailEntry {
  /** File offset of the record's frame. */
  offset: number;
  /** File offset just after it. */
  end: number;
  record: RunRecord;
  /** For a history row stored in binary: its bytes in the packed-row layout, uploaded as they are. */
  packed?: Uint8Array;
  /** The log's key table (key by id) that `packed` refers to. */
  keys: readonly string[];
}

const CHUNK_BYTES = 4 * 1024 * 1024;

/** Where an upload session reads records: a live log's tail, or a finished log (snapshot-tail.ts). */
export interface LogSource {
  /** The next record, or null when there is nothing more (for now). */
  next(): TailEntry | null;
  /** Starts over from the first record. */
  rewind(): void;
  close(): void;
}

export class LogTail implements LogSource {
  /** File offset of the next frame to read. */
  position = FILE_HEADER_BYTES;
  private readonly fd: number;
  private buffer = Buffer.alloc(0);
  private bufferStart = FILE_HEADER_BYTES;
  private keys: string[] = [];
  /** Set while the tail is stopped before a row with undefined keys. */
  stuckAt: number | null = null;

  constructor(
    readonly file: string,
    private readonly onIssue: (message: string) => void,
  ) {
    this.fd = openSync(file, "r");
    const header = Buffer.alloc(FILE_HEADER_BYTES);
    if (readSync(this.fd, header, 0, FILE_HEADER_BYTES, 0) < FILE_HEADER_BYTES) return;
    if (header.toString("latin1", 0, 8) !== FILE_MAGIC) {
      closeSync(this.fd);
      throw new CorruptDataError(`${file} is not a Stepwise run log (bad file header)`);
    }
  }

  /** The next complete record, or null when the log has nothing more right now. */
  next(): TailEntry | null {
    for (;;) {
      const at = this.position;
      if (!this.ensure(at, FRAME_HEADER_BYTES)) return null;
      const i = at - this.bufferStart;
      const length = this.buffer.readUInt32LE(i + 8);
      if (this.buffer.readUInt32LE(i) !== FRAME_MAGIC || length > MAX_RECORD_BYTES) {
        if (!this.skipDamage(at)) return null;
        continue;
      }
      if (!this.ensure(at, FRAME_HEADER_BYTES + length)) return null;
      const j = at - this.bufferStart;
      const checked = this.buffer.subarray(j + 8, j + FRAME_HEADER_BYTES + length);
      if (crc32(checked) >>> 0 !== this.buffer.readUInt32LE(j + 4)) {
        if (!this.skipDamage(at)) return null;
        continue;
      }
      const end = at + FRAME_HEADER_BYTES + length;
      this.position = end;
      const decoded = decodePayload(checked.subarray(4), this.keys);
      if (decoded.kind === "unknown-keys") {
        if (this.stuckAt !== at)
          this.onIssue(
            `${this.file}: the history row at byte ${at} uses keys whose definition is damaged (ids ${decoded.ids.join(", ")}); live upload stops there, run \`npx stepwise sync\` after the run`,
          );
        this.stuckAt = at;
        this.position = at;
        return null;
      }
      if (decoded.kind === "keys") for (const { id, key } of decoded.keys) this.keys[id] ??= key;
      else if (decoded.kind === "bad")
        this.onIssue(`${this.file}: record at byte ${at} skipped: ${decoded.message}`);
      else if (decoded.packed === undefined)
        return { offset: at, end, record: decoded.record, keys: this.keys };
      else return { offset: at, end, record: decoded.record, packed: decoded.packed, keys: this.keys };
    }
  }

  /** Starts over from the first record (after the server lost data it had acknowledged). */
  rewind(): void {
    this.position = FILE_HEADER_BYTES;
    this.keys = [];
    this.buffer = Buffer.alloc(0);
    this.bufferStart = FILE_HEADER_BYTES;
  }

  close(): void {
    closeSync(this.fd);
  }

  /**
   * Moves past a damaged region; false when no intact frame follows it (yet). When the file
   * itself shows no damage there, the buffered bytes were stale — a write cut short by a full
   * disk, which the writer cut off and wrote again — so they are dropped and read afresh.
   */
  private skipDamage(at: number): boolean {
    const reader = new RunLogReader(this.file, { fromOffset: at });
    for (const entry of reader.records()) {
      void entry;
      break;
    }
    const damage = reader.issues.find((issue) => issue.kind === "corrupt" && issue.offset >= at);
    if (!damage) {
      this.buffer = Buffer.alloc(0);
      return false;
    }
    this.onIssue(`${this.file}: ${damage.bytes} damaged bytes skipped at byte ${at}`);
    this.position = damage.offset + damage.bytes;
    return true;
  }

  /** Makes sure [at, at + bytes) is buffered; false while the file is shorter than that. */
  private ensure(at: number, bytes: number): boolean {
    const have = this.bufferStart + this.buffer.length;
    if (at >= this.bufferStart && at + bytes <= have) return true;
    const size = fstatSync(this.fd).size;
    if (at + bytes > size) return false;
    const keep = at >= this.bufferStart && at <= have ? this.buffer.subarray(at - this.bufferStart) : null;
    const want = Math.min(size - at, Math.max(bytes, (keep?.length ?? 0) + CHUNK_BYTES));
    const next = Buffer.allocUnsafe(want);
    let filled = keep ? keep.copy(next, 0) : 0;
    while (filled < want) {
      const read = readSync(this.fd, next, filled, want - filled, at + filled);
      if (read === 0) break;
      filled += read;
    }
    this.buffer = next.subarray(0, filled);
    this.bufferStart = at;
    return filled >= bytes;
  }
}
