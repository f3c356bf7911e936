/**
 * Reads a record log back, record by record, in bounded memory. A torn tail (the process
 * died mid-write) ends the log quietly and is reported as an issue of kind "torn-tail"; a
 * damaged region in the middle is skipped by resynchronising on the next frame whose magic
 * and CRC check out, and reported as "corrupt". Every intact record is returned.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { crc32 } from "node:zlib";
import {
  CorruptDataError,
  parseExtended,
  runRecordSchema,
  type HistoryRecord,
  type RunRecord,
} from "@stepwise/protocol";
import {
  FILE_HEADER_BYTES,
  FILE_MAGIC,
  FORMAT_VERSION,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  MAX_RECORD_BYTES,
  PAYLOAD_KEY,
  PAYLOAD_ROW,
} from "./log-format.js";
import { decodeBinaryRow } from "./binary-row.js";

export interface RunLogIssue {
  /** torn-tail: incomplete last write (expected after a crash); corrupt: damaged bytes skipped; bad-record: an intact frame whose content is not a record this version knows. */
  kind: "torn-tail" | "corrupt" | "bad-record";
  offset: number;
  bytes: number;
  message: string;
}

export interface RunLogEntry {
  /** File offset of the record's frame. */
  offset: number;
  /** File offset just after it: where a reader resumes. */
  end: number;
  record: RunRecord;
}

export interface RunLogReaderOptions {
  /** Start at this frame offset (an `end` from an earlier read) instead of the beginning. */
  fromOffset?: number;
  /** Read size (default 4 MiB). */
  chunkBytes?: number;
}

const MAGIC_BYTES = Buffer.alloc(4);
MAGIC_BYTES.writeUInt32LE(FRAME_MAGIC);

type FrameCheck = { ok: true; length: number } | { ok: false; reason: string; needMore: boolean };

export class RunLogReader {
  readonly issues: RunLogIssue[] = [];
  /** Offset just after the last intact frame read so far. */
  position: number;
  private readonly fd: number;
  private readonly fileSize: number;
  private readonly chunkBytes: number;
  private buffer = Buffer.alloc(0);
  /** File offset of buffer[0]. */
  private bufferStart = 0;
  /** Key id → key, from PAYLOAD_KEY records (binary history rows refer to keys by id). */
  private readonly keys: string[] = [];
  private readonly fromOffset: number;

  constructor(
    readonly file: string,
    options: RunLogReaderOptions = {},
  ) {
    this.fd = openSync(file, "r");
    this.fileSize = fstatSync(this.fd).size;
    this.chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
    this.checkFileHeader();
    this.fromOffset = Math.max(options.fromOffset ?? FILE_HEADER_BYTES, FILE_HEADER_BYTES);
    // Reading starts at the file header even when resuming: key definitions before the
    // resume offset are needed to decode rows after it (records before it are not returned).
    this.position = FILE_HEADER_BYTES;
    this.bufferStart = FILE_HEADER_BYTES;
  }

  /** Every intact record from the start offset to the end of the file as it is now. */
  *records(): Generator<RunLogEntry> {
    try {
      let at = this.position;
      while (at < this.fileSize) {
        const check = this.checkFrame(at);
        if (!check.ok) {
          const next = this.resync(at + 1);
          if (next === null) {
            this.report("torn-tail", at, this.fileSize - at, `incomplete write at the end (${check.reason})`);
            return;
          }
          this.report("corrupt", at, next - at, `damaged bytes skipped (${check.reason})`);
          at = next;
          continue;
        }
        const end = at + FRAME_HEADER_BYTES + check.length;
        const wanted = at >= this.fromOffset;
        const record = wanted || this.isKeyFrame(at) ? this.decode(at, check.length) : null;
        this.position = end;
        this.compact(end);
        if (record && wanted) yield { offset: at, end, record };
        at = end;
      }
    } finally {
      closeSync(this.fd);
    }
  }

  private checkFileHeader(): void {
    const header = Buffer.alloc(FILE_HEADER_BYTES);
    const read = readSync(this.fd, header, 0, FILE_HEADER_BYTES, 0);
    if (read < FILE_HEADER_BYTES || header.toString("latin1", 0, 8) !== FILE_MAGIC) {
      closeSync(this.fd);
      throw new CorruptDataError(`${this.file} is not a Stepwise run log (bad file header)`);
    }
    const version = header.readUInt16LE(8);
    if (version > FORMAT_VERSION) {
      closeSync(this.fd);
      throw new CorruptDataError(
        `${this.file} was written by a newer Stepwise (log format ${version}); upgrade stepwise to read it`,
      );
    }
  }

  private checkFrame(at: number): FrameCheck {
    if (!this.ensure(at, FRAME_HEADER_BYTES))
      return { ok: false, reason: "frame header cut short", needMore: true };
    const i = at - this.bufferStart;
    if (this.buffer.readUInt32LE(i) !== FRAME_MAGIC)
      return { ok: false, reason: "no frame marker", needMore: false };
    const length = this.buffer.readUInt32LE(i + 8);
    if (length > MAX_RECORD_BYTES) return { ok: false, reason: "implausible length", needMore: false };
    if (!this.ensure(at, FRAME_HEADER_BYTES + length))
      return { ok: false, reason: "record cut short", needMore: true };
    const j = at - this.bufferStart;
    const expected = this.buffer.readUInt32LE(j + 4);
    const actual = crc32(this.buffer.subarray(j + 8, j + FRAME_HEADER_BYTES + length));
    if (actual >>> 0 !== expected) return { ok: false, reason: "checksum mismatch", needMore: false };
    return { ok: true, length };
  }

  /** The offset of the next intact frame at or after `from`, or null if none. */
  private resync(from: number): number | null {
    let at = from;
    while (at < this.fileSize) {
      if (!this.ensure(at, Math.min(this.chunkBytes, this.fileSize - at))) return null;
      const found = this.buffer.indexOf(MAGIC_BYTES, at - this.bufferStart);
      if (found === -1) {
        at = this.bufferStart + this.buffer.length - 3;
        this.compact(at);
        if (this.bufferStart + this.buffer.length >= this.fileSize) return null;
        continue;
      }
      const candidate = this.bufferStart + found;
      if (this.endsAtFrameBoundary(candidate) && this.checkFrame(candidate).ok) return candidate;
      at = candidate + 1;
    }
    return null;
  }

  private isKeyFrame(at: number): boolean {
    return this.buffer[at - this.bufferStart + FRAME_HEADER_BYTES] === PAYLOAD_KEY;
  }

  /**
   * Frames are contiguous, so a real frame ends at the end of the file or where the next frame's
   * marker starts. Checking that (one 4-byte read) before the CRC keeps resynchronisation linear
   * when damaged bytes happen to contain markers followed by huge bogus lengths.
   */
  private endsAtFrameBoundary(at: number): boolean {
    if (!this.ensure(at, FRAME_HEADER_BYTES)) return false;
    const end = at + FRAME_HEADER_BYTES + this.buffer.readUInt32LE(at - this.bufferStart + 8);
    if (end > this.fileSize) return false;
    if (end === this.fileSize) return true;
    const next = Buffer.alloc(4);
    return readSync(this.fd, next, 0, 4, end) === 4 && next.readUInt32LE(0) === FRAME_MAGIC;
  }

  private decode(at: number, length: number): RunRecord | null {
    const start = at - this.bufferStart + FRAME_HEADER_BYTES;
    const kind = this.buffer[start];
    if (kind === PAYLOAD_KEY) {
      this.keys[this.buffer.readUInt32LE(start + 1)] = JSON.parse(
        this.buffer.toString("utf8", start + 5, start + length - 1),
      ) as string;
      return null;
    }
    if (kind === PAYLOAD_ROW) {
      try {
        return { t: "history", row: this.decodeRow(start + 1) };
      } catch (error) {
        this.report(
          "bad-record",
          at,
          FRAME_HEADER_BYTES + length,
          `unreadable history row: ${(error as Error).message}`,
        );
        return null;
      }
    }
    const text = this.buffer.toString("utf8", start, start + length);
    let value: unknown;
    try {
      value = parseExtended(text);
    } catch (error) {
      this.report("bad-record", at, FRAME_HEADER_BYTES + length, `not JSON: ${(error as Error).message}`);
      return null;
    }
    if (isHistoryRecord(value)) return value;
    const parsed = runRecordSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    this.report(
      "bad-record",
      at,
      FRAME_HEADER_BYTES + length,
      `unknown or invalid record: ${parsed.error.message}`,
    );
    return null;
  }

  private decodeRow(start: number): Record<string, unknown> {
    return decodeBinaryRow(this.buffer, start, this.keys);
  }

  /** Makes sure [at, at + bytes) is in the buffer; false if the file ends first. */
  private ensure(at: number, bytes: number): boolean {
    if (at + bytes > this.fileSize) return false;
    const have = this.bufferStart + this.buffer.length;
    if (at >= this.bufferStart && at + bytes <= have) return true;
    if (at < this.bufferStart || at > have) {
      this.buffer = Buffer.alloc(0);
      this.bufferStart = at;
    }
    const wantEnd = Math.min(
      this.fileSize,
      Math.max(at + bytes, this.bufferStart + this.buffer.length + this.chunkBytes),
    );
    const keep = this.buffer.subarray(Math.max(0, at - this.bufferStart));
    const next = Buffer.allocUnsafe(wantEnd - at);
    keep.copy(next, 0);
    let filled = keep.length;
    while (filled < next.length) {
      const read = readSync(this.fd, next, filled, next.length - filled, at + filled);
      if (read === 0) break;
      filled += read;
    }
    this.buffer = next.subarray(0, filled);
    this.bufferStart = at;
    return at + bytes <= at + filled;
  }

  /** Drops buffered bytes before `at` once they are more than half the buffer. */
  private compact(at: number): void {
    const drop = at - this.bufferStart;
    if (drop > this.chunkBytes && drop <= this.buffer.length) {
      this.buffer = this.buffer.subarray(drop);
      this.bufferStart = at;
    }
  }

  private report(kind: RunLogIssue["kind"], offset: number, bytes: number, message: string): void {
    this.issues.push({ kind, offset, bytes, message });
  }
}

/** History rows skip schema validation (millions of them); their shape is checked here. */
function isHistoryRecord(value: unknown): value is HistoryRecord {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { t?: unknown; row?: unknown };
  return candidate.t === "history" && typeof candidate.row === "object" && candidate.row !== null;
}
