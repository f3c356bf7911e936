/**
 * Reads a record log back, record by record, in bounded memory. A torn tail (the process
 * died mid-write) ends the log quietly and is reported as an issue of kind "torn-tail"; a
 * damaged region in the middle is skipped by resynchronising on the next frame whose magic
 * and CRC check out, and reported as "corrupt"; so is a damaged file header (the frames after
 * it are read as usual). A binary row whose key definition was damaged is decoded with the
 * definition from a later key table (log-format.ts); only rows whose keys no intact frame
 * defines are lost. Every intact record is returned, and `rows` says how many rows damage cost.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { CorruptDataError, type RunRecord } from "@stepwise/protocol";
import { decodeBinaryRow } from "./binary-row.js";
import { FrameScanner } from "./frame-scanner.js";
import { isKeyPayload, rowKeyIds } from "./key-payloads.js";
import { KeyTable } from "./key-table.js";
import {
  checkFileHeader,
  FILE_HEADER_BYTES,
  FRAME_HEADER_BYTES,
  PAYLOAD_KEY_TABLE,
  PAYLOAD_ROW,
} from "./log-format.js";
import { decodeJsonRecord } from "./json-record.js";
import { RowLossCounter, type RowCounts } from "./row-loss.js";

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
  /** A history row stored in binary: its bytes (entry count first), keys by id in `keys`. */
  packed?: Uint8Array;
}

export interface RunLogReaderOptions {
  /** Start at this frame offset (an `end` from an earlier read) instead of the beginning. */
  fromOffset?: number;
  /** Read size (default 4 MiB). */
  chunkBytes?: number;
}

export class RunLogReader {
  readonly issues: RunLogIssue[] = [];
  /** Offset just after the last intact frame read so far. */
  position: number;
  private readonly fd: number;
  private readonly chunkBytes: number;
  private readonly keyTable: KeyTable;
  private readonly loss = new RowLossCounter();
  private readonly fromOffset: number;
  private closed = false;

  constructor(
    readonly file: string,
    options: RunLogReaderOptions = {},
  ) {
    this.fd = openSync(file, "r");
    this.chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
    this.checkHeader();
    this.fromOffset = Math.max(options.fromOffset ?? FILE_HEADER_BYTES, FILE_HEADER_BYTES);
    // Reading starts at the file header even when resuming: key definitions before the
    // resume offset are needed to decode rows after it (records before it are not returned).
    this.position = FILE_HEADER_BYTES;
    this.keyTable = new KeyTable(this.fd, this.chunkBytes);
  }

  /** Key id → key, as far as the log has defined them (binary rows refer to keys by id). */
  get keys(): readonly string[] {
    return this.keyTable.keys;
  }

  /** History rows read and lost so far; complete once `records()` has run to its end. */
  get rows(): RowCounts {
    return this.loss.counts;
  }

  /** Every intact record from the start offset to the end of the file as it is now. */
  *records(): Generator<RunLogEntry> {
    try {
      for (const item of new FrameScanner(this.fd, FILE_HEADER_BYTES, this.chunkBytes).items()) {
        if (item.kind === "damage") {
          this.loss.damage(item.region, item.tail);
          if (item.tail)
            this.report("torn-tail", item.offset, item.bytes, `incomplete write at the end (${item.reason})`);
          else this.report("corrupt", item.offset, item.bytes, `damaged bytes skipped (${item.reason})`);
          continue;
        }
        const { offset, end, payload } = item;
        this.position = end;
        const wanted = offset >= this.fromOffset;
        if (isKeyPayload(payload[0])) {
          this.readKeys(payload, offset);
          continue;
        }
        if (!wanted) continue;
        const entry = this.decode(offset, end, payload);
        if (entry) yield entry;
      }
    } finally {
      this.close();
    }
  }

  /** Releases the file; `records()` does so when it ends. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private checkHeader(): void {
    const header = Buffer.alloc(FILE_HEADER_BYTES);
    const read = readSync(this.fd, header, 0, FILE_HEADER_BYTES, 0);
    const check = checkFileHeader(header.subarray(0, read));
    if (check.kind === "newer") {
      closeSync(this.fd);
      throw new CorruptDataError(
        `${this.file} was written by a newer Stepwise (log format ${check.version}); upgrade stepwise to read it`,
      );
    }
    if (check.kind === "ok") return;
    if (read < FILE_HEADER_BYTES) {
      closeSync(this.fd);
      throw new CorruptDataError(`${this.file} is not a Stepwise run log (bad file header)`);
    }
    // A damaged header: the frames after it are read as usual. A file without a single intact
    // frame is not a run log at all.
    for (const item of new FrameScanner(this.fd, FILE_HEADER_BYTES, this.chunkBytes).items()) {
      if (item.kind === "frame") {
        this.report("corrupt", 0, FILE_HEADER_BYTES, "damaged file header skipped");
        return;
      }
    }
    closeSync(this.fd);
    throw new CorruptDataError(`${this.file} is not a Stepwise run log (bad file header, no intact record)`);
  }

  private readKeys(payload: Buffer, offset: number): void {
    try {
      const rowsBefore = this.keyTable.define(payload);
      if (payload[0] === PAYLOAD_KEY_TABLE && rowsBefore !== null) this.loss.checkpoint(rowsBefore);
    } catch (error) {
      this.report(
        "bad-record",
        offset,
        FRAME_HEADER_BYTES + payload.length,
        `unreadable key definition: ${(error as Error).message}`,
      );
    }
  }

  private decode(offset: number, end: number, payload: Buffer): RunLogEntry | null {
    const bytes = end - offset;
    if (payload[0] === PAYLOAD_ROW) {
      const row = payload.subarray(1);
      try {
        // Decoded in one walk; the ids are looked at only when a key is missing (rare).
        let decoded = decodeBinaryRow(payload, 1, this.keyTable.keys);
        if (decoded === null) {
          const missing = this.keyTable.missing(rowKeyIds(row));
          if (this.keyTable.recover(missing, end)) decoded = decodeBinaryRow(payload, 1, this.keyTable.keys);
          if (decoded === null) {
            this.loss.rowUnreadable();
            this.report(
              "bad-record",
              offset,
              bytes,
              `history row with keys no intact frame defines (ids ${missing.join(", ")})`,
            );
            return null;
          }
        }
        this.loss.rowRead();
        return { offset, end, record: { t: "history", row: decoded }, packed: row };
      } catch (error) {
        this.loss.rowUnreadable();
        this.report("bad-record", offset, bytes, `unreadable history row: ${(error as Error).message}`);
        return null;
      }
    }
    const decoded = decodeJsonRecord(payload);
    if (decoded.kind === "bad") {
      this.report("bad-record", offset, bytes, decoded.message);
      return null;
    }
    if (decoded.record.t === "history") this.loss.rowRead();
    return { offset, end, record: decoded.record };
  }

  private report(kind: RunLogIssue["kind"], offset: number, bytes: number, message: string): void {
    this.issues.push({ kind, offset, bytes, message });
  }
}
