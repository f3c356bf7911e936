/**
 * A one-line progress report on a terminal's stderr ("exporting history: 12,345 / 50,000 rows,
 * 81,234 rows/s"), redrawn in place at most 5 times a second and erased at the end. Exports
 * that finish within the first 200 ms print nothing.
 */
import type { Writable } from "node:stream";

const REDRAW_MS = 200;
/** Checking the clock every row costs more than the check is worth on small rows. */
const CHECK_EVERY_ROWS = 64;
const ERASE_LINE = "\r\x1b[K";

export interface ProgressLineOptions {
  /** False (stderr not a terminal, or data going to the same terminal) makes every call a no-op. */
  enabled: boolean;
  label: string;
  /** Rows expected, when known. */
  total: number | null;
  now?: () => number;
}

export class ProgressLine {
  private readonly now: () => number;
  private readonly started: number;
  private lastDraw: number;
  private drawn = false;
  private readonly numbers = new Intl.NumberFormat("en-US");

  constructor(
    private readonly stream: Writable,
    private readonly options: ProgressLineOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.lastDraw = this.started;
  }

  /** Reports that `rows` rows are done; cheap enough to call for every row. */
  tick(rows: number): void {
    if (!this.options.enabled || rows % CHECK_EVERY_ROWS !== 0) return;
    const now = this.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.drawn = true;
    this.stream.write(ERASE_LINE + this.describe(rows, now));
  }

  /** Erases the line, if one was drawn, so the next message starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write(ERASE_LINE);
    this.drawn = false;
  }

  private describe(rows: number, now: number): string {
    const { label, total } = this.options;
    const done = this.numbers.format(rows) + (total === null ? "" : ` / ${this.numbers.format(total)}`);
    const rate = Math.round(rows / Math.max((now - this.started) / 1000, 0.001));
    return `${label}: ${done} rows, ${this.numbers.format(rate)} rows/s`;
  }
}
