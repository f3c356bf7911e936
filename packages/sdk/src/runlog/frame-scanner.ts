/**
 * Walks the frames of a run log (log-format.ts) from a byte offset, in bounded memory: each
 * intact frame (magic, plausible length, CRC of length and payload), and each damaged region
 * between them. After damage it resynchronises on the next frame whose magic and CRC check
 * out, reading only the damaged bytes; damage with no intact frame after it is the log's torn
 * tail. By default it reads the file as it is when the scanner opens (the run log reader, and
 * its forward search for key definitions).
 *
 * In follow mode (the uploader's tail of a log still being written) the end of the file is not
 * an end: a frame cut short there, or damage with no intact frame after it yet, is
 * "incomplete" — `next()` returns null and tries again from the same offset once the file has
 * grown. The bytes from that offset are read afresh then: the writer may have cut a write
 * that failed (a full disk) and written it again.
 */
import { fstatSync, readSync } from "node:fs";
import { crc32 } from "node:zlib";
import { FRAME_HEADER_BYTES, FRAME_MAGIC, MAX_RECORD_BYTES } from "./log-format.js";

export type ScanItem =
  | {
      kind: "frame";
      offset: number;
      end: number;
      /** The payload, a view into the scanner's buffer: valid until the next item is asked for. */
      payload: Buffer;
    }
  | {
      kind: "damage";
      offset: number;
      bytes: number;
      reason: string;
      /** No intact frame follows: the log ends here. */
      tail: boolean;
      /** A copy of the damaged bytes when they are at most DAMAGE_COPY_LIMIT, else null. */
      region: Buffer | null;
    };

/** Damaged regions up to this size are handed over for a look at what they held. */
const DAMAGE_COPY_LIMIT = 1024 * 1024;
const MAGIC_BYTES = Buffer.alloc(4);
MAGIC_BYTES.writeUInt32LE(FRAME_MAGIC);

type FrameCheck = { ok: true; length: number } | { ok: false; reason: string; cutShort: boolean };

export class FrameScanner {
  private fileSize: number;
  private buffer = Buffer.alloc(0);
  /** File offset of buffer[0]. */
  private bufferStart: number;
  /** File offset of the next item. */
  private at: number;

  constructor(
    private readonly fd: number,
    start: number,
    private readonly chunkBytes: number,
    /** Follow a file that is still being written (see the module comment). */
    private readonly follow = false,
  ) {
    this.fileSize = fstatSync(fd).size;
    this.bufferStart = start;
    this.at = start;
  }

  /** File offset of the next item: just after the last frame or damage returned. */
  get position(): number {
    return this.at;
  }

  /** Goes on from `offset` (a frame's start): to read a frame again, or to start over. */
  seek(offset: number): void {
    this.at = offset;
  }

  *items(): Generator<ScanItem> {
    for (let item = this.next(); item !== null; item = this.next()) yield item;
  }

  /** The next frame or damaged region; null at the end of the file (in follow mode: for now). */
  next(): ScanItem | null {
    const at = this.at;
    if (!this.within(at, 1)) return null;
    let check = this.checkFrame(at);
    if (!check.ok && !check.cutShort && this.follow) {
      // Bytes buffered before the writer cut and rewrote a failed write are stale: look again.
      this.forget(at);
      check = this.checkFrame(at);
    }
    if (check.ok) {
      const end = at + FRAME_HEADER_BYTES + check.length;
      const i = at - this.bufferStart + FRAME_HEADER_BYTES;
      const payload = this.buffer.subarray(i, i + check.length);
      this.compact(end);
      this.at = end;
      return { kind: "frame", offset: at, end, payload };
    }
    const next = check.cutShort && this.follow ? null : this.resync(at + 1);
    if (next === null && this.follow) {
      this.forget(at);
      return null;
    }
    const end = next ?? this.fileSize;
    const region = end - at <= DAMAGE_COPY_LIMIT ? this.copy(at, end) : null;
    this.at = end;
    return { kind: "damage", offset: at, bytes: end - at, reason: check.reason, tail: next === null, region };
  }

  private checkFrame(at: number): FrameCheck {
    if (!this.ensure(at, FRAME_HEADER_BYTES))
      return { ok: false, reason: "frame header cut short", cutShort: true };
    const i = at - this.bufferStart;
    if (this.buffer.readUInt32LE(i) !== FRAME_MAGIC)
      return { ok: false, reason: "no frame marker", cutShort: false };
    const length = this.buffer.readUInt32LE(i + 8);
    if (length > MAX_RECORD_BYTES) return { ok: false, reason: "implausible length", cutShort: false };
    if (!this.ensure(at, FRAME_HEADER_BYTES + length))
      return { ok: false, reason: "record cut short", cutShort: true };
    const j = at - this.bufferStart;
    const expected = this.buffer.readUInt32LE(j + 4);
    const actual = crc32(this.buffer.subarray(j + 8, j + FRAME_HEADER_BYTES + length));
    if (actual >>> 0 !== expected) return { ok: false, reason: "checksum mismatch", cutShort: false };
    return { ok: true, length };
  }

  /** Whether the file holds [at, at + bytes); in follow mode the size is looked up again first. */
  private within(at: number, bytes: number): boolean {
    if (at + bytes <= this.fileSize) return true;
    if (this.follow) this.fileSize = fstatSync(this.fd).size;
    return at + bytes <= this.fileSize;
  }

  /** Drops buffered bytes from `at` on: what follows may be rewritten before it is read again. */
  private forget(at: number): void {
    if (at >= this.bufferStart && at - this.bufferStart < this.buffer.length)
      this.buffer = this.buffer.subarray(0, at - this.bufferStart);
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

  private copy(from: number, to: number): Buffer {
    const out = Buffer.alloc(to - from);
    let filled = 0;
    while (filled < out.length) {
      const read = readSync(this.fd, out, filled, out.length - filled, from + filled);
      if (read === 0) break;
      filled += read;
    }
    return out.subarray(0, filled);
  }

  /** Makes sure [at, at + bytes) is in the buffer; false if the file ends first. */
  private ensure(at: number, bytes: number): boolean {
    if (!this.within(at, bytes)) return false;
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

  /** Drops buffered bytes before `at` once they are more than a chunk. */
  private compact(at: number): void {
    const drop = at - this.bufferStart;
    if (drop > this.chunkBytes && drop <= this.buffer.length) {
      this.buffer = this.buffer.subarray(drop);
      this.bufferStart = at;
    }
  }
}
