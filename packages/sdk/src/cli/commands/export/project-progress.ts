/**
 * The project export's progress line on a terminal's stderr ("exporting runs: 120 / 1,000 runs,
 * 1,200,000 / 10,000,000 rows, 310 MB, 3 already complete"), redrawn at most 5 times a second
 * and erased at the end; nothing off a terminal.
 */
import type { Writable } from "node:stream";
import type { ExportProgress } from "../../../api/export/export-runs.js";

const REDRAW_MS = 200;
const ERASE_LINE = "\r\x1b[K";

export class ProjectProgress {
  private drawn = false;
  private last = 0;
  private readonly numbers = new Intl.NumberFormat("en-US");

  constructor(
    private readonly stream: Writable,
    private readonly enabled: boolean,
  ) {}

  draw(p: ExportProgress): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.last < REDRAW_MS && p.runsDone < p.runsTotal) return;
    this.last = now;
    this.drawn = true;
    const n = (x: number): string => this.numbers.format(x);
    const kept = p.runsSkipped > 0 ? `, ${n(p.runsSkipped)} already complete` : "";
    this.stream.write(
      `${ERASE_LINE}exporting runs: ${n(p.runsDone)} / ${n(p.runsTotal)} runs, ` +
        `${n(p.rowsDone)} / ${n(p.rowsTotal)} rows, ${n(Math.round(p.bytes / 1e6))} MB${kept}`,
    );
  }

  clear(): void {
    if (this.drawn) this.stream.write(ERASE_LINE);
    this.drawn = false;
  }
}
