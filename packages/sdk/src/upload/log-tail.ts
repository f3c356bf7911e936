/**
 * Follows a run's record log while its writer appends to it: returns each complete frame once,
 * in order, and null when the next frame is not (yet) complete. It is a FrameScanner in follow
 * mode (it keeps its file descriptor, buffer and key table between calls, so following a
 * growing log costs O(new bytes), and skipping damage costs the damaged bytes) plus the payload
 * decoding of frame-payload.ts. A damaged region is skipped and reported. A binary row whose
 * keys no frame read so far defines (its key definition was damaged) stops the tail there: the
 * live upload never passes a row it could not send, and `stepwise sync`, which reads the
 * finished log with the run log reader and finds such keys in later key tables, uploads the rest.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { CorruptDataError, type RunRecord } from "@stepwise/protocol";
import { FrameScanner } from "../runlog/frame-scanner.js";
import { checkFileHeader, FILE_HEADER_BYTES } from "../runlog/log-format.js";
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
  private readonly fd: number;
  private readonly scanner: FrameScanner;
  private keys: string[] = [];
  /** Set while the tail is stopped before a row with undefined keys. */
  stuckAt: number | null = null;

  constructor(
    readonly file: string,
    private readonly onIssue: (message: string) => void,
  ) {
    this.fd = openSync(file, "r");
    const header = Buffer.alloc(FILE_HEADER_BYTES);
    const read = readSync(this.fd, header, 0, FILE_HEADER_BYTES, 0);
    // A header still being written is read as it comes; a newer format is refused; a damaged
    // header is reported and the frames after it are read (as the run log reader does).
    const check = read < FILE_HEADER_BYTES ? null : checkFileHeader(header);
    if (check?.kind === "newer") {
      closeSync(this.fd);
      throw new CorruptDataError(
        `${file} was written by a newer Stepwise (log format ${check.version}); upgrade stepwise to read it`,
      );
    }
    if (check?.kind === "damaged") this.onIssue(`${file}: damaged file header skipped`);
    this.scanner = new FrameScanner(this.fd, FILE_HEADER_BYTES, CHUNK_BYTES, true);
  }

  /** File offset of the next frame to read. */
  get position(): number {
    return this.scanner.position;
  }

  /** The next complete record, or null when the log has nothing more right now. */
  next(): TailEntry | null {
    for (let item = this.scanner.next(); item !== null; item = this.scanner.next()) {
      if (item.kind === "damage") {
        this.onIssue(`${this.file}: ${item.bytes} damaged bytes skipped at byte ${item.offset}`);
        continue;
      }
      const { offset: at, end } = item;
      const decoded = decodePayload(item.payload, this.keys);
      if (decoded.kind === "unknown-keys") {
        if (this.stuckAt !== at)
          this.onIssue(
            `${this.file}: the history row at byte ${at} uses keys whose definition is damaged (ids ${decoded.ids.join(", ")}); live upload stops there, run \`npx stepwise sync\` after the run`,
          );
        this.stuckAt = at;
        this.scanner.seek(at);
        return null;
      }
      if (decoded.kind === "keys") for (const { id, key } of decoded.keys) this.keys[id] ??= key;
      else if (decoded.kind === "bad")
        this.onIssue(`${this.file}: record at byte ${at} skipped: ${decoded.message}`);
      else if (decoded.packed === undefined)
        return { offset: at, end, record: decoded.record, keys: this.keys };
      else return { offset: at, end, record: decoded.record, packed: decoded.packed, keys: this.keys };
    }
    return null;
  }

  /** Starts over from the first record (after the server lost data it had acknowledged). */
  rewind(): void {
    this.scanner.seek(FILE_HEADER_BYTES);
    this.keys = [];
  }

  close(): void {
    closeSync(this.fd);
  }
}
