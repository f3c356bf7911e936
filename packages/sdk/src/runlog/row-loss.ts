/**
 * Counts the history rows a damaged log cost. The writer's key tables (log-format.ts) say how
 * many rows the log holds before them, so rows lost before the last intact table are known
 * exactly. After it, each damaged region is looked at: frames are split at their markers and
 * a frame whose first payload byte says "binary row" (or whose JSON starts as a history record)
 * counts as one lost row. When a region cannot be read that way (it does not start with a
 * marker, or a frame's kind is unrecognisable) or the log was cut, the count is a lower bound.
 */
import {
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  PAYLOAD_KEY,
  PAYLOAD_KEY_TABLE,
  PAYLOAD_ROW,
} from "./log-format.js";

export interface RowCounts {
  /** History rows read back intact. */
  readable: number;
  /** History rows the damage cost (a lower bound when `exact` is false). */
  unreadable: number;
  /** False when damage after the writer's last row count, or a cut log, leaves the loss uncertain. */
  exact: boolean;
}

const HISTORY_JSON = Buffer.from('{"t":"history"');
const OPEN_BRACE = 0x7b;

export class RowLossCounter {
  private readable = 0;
  /** Rows lost before the last intact key table (exact). */
  private lostAtCheckpoint = 0;
  /** Rows seen lost since that table. */
  private lostSince = 0;
  private uncertainSince = false;

  rowRead(): void {
    this.readable++;
  }

  /** An intact frame that is a history row but could not be decoded. */
  rowUnreadable(): void {
    this.lostSince++;
  }

  checkpoint(rowsBefore: number): void {
    this.lostAtCheckpoint = Math.max(0, rowsBefore - this.readable);
    this.lostSince = 0;
    this.uncertainSince = false;
  }

  /** A damaged region; `region` is its bytes (null when too large to look at). */
  damage(region: Buffer | null, tail: boolean): void {
    const seen = region === null ? null : rowsInRegion(region);
    if (seen === null) this.uncertainSince = true;
    else {
      this.lostSince += seen.rows;
      if (!seen.identified) this.uncertainSince = true;
    }
    // A cut log: rows written after the cut are gone without a trace. A last frame that is
    // whole (its length reaches the end of the file) but damaged was not cut.
    if (tail && (region === null || !isWholeFrame(region))) this.uncertainSince = true;
  }

  get counts(): RowCounts {
    return {
      readable: this.readable,
      unreadable: this.lostAtCheckpoint + this.lostSince,
      exact: !this.uncertainSince,
    };
  }
}

function rowsInRegion(region: Buffer): { rows: number; identified: boolean } {
  const marker = Buffer.alloc(4);
  marker.writeUInt32LE(FRAME_MAGIC);
  let identified = region.indexOf(marker) === 0;
  let rows = 0;
  let at = region.indexOf(marker);
  while (at !== -1) {
    const kind = region[at + FRAME_HEADER_BYTES];
    if (kind === PAYLOAD_ROW) rows++;
    else if (kind === OPEN_BRACE) {
      const head = region.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + HISTORY_JSON.length);
      if (head.equals(HISTORY_JSON)) rows++;
    } else if (kind !== PAYLOAD_KEY && kind !== PAYLOAD_KEY_TABLE) identified = false;
    at = region.indexOf(marker, at + 1);
  }
  return { rows, identified };
}

function isWholeFrame(region: Buffer): boolean {
  return (
    region.length >= FRAME_HEADER_BYTES &&
    region.readUInt32LE(0) === FRAME_MAGIC &&
    region.readUInt32LE(8) + FRAME_HEADER_BYTES === region.length
  );
}
