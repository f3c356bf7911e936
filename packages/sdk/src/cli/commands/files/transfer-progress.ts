/**
 * A one-line progress report of a file transfer on a terminal's stderr ("get model.bin: 312.0 MiB
 * / 1.0 GiB, 95.1 MiB/s"), redrawn in place at most 5 times a second and erased at the end. A
 * transfer that ends within its first 200 ms draws nothing.
 */
import type { Writable } from "node:stream";
import { formatBytes } from "./files-table.js";

const REDRAW_MS = 200;
const ERASE_LINE = "\r\x1b[K";

export class TransferProgress {
  private readonly started: number;
  private lastDraw: number;
  private drawn = false;

  constructor(
    private readonly stream: Writable,
    /** False (stderr is not a terminal) makes every call a no-op. */
    private readonly enabled: boolean,
    private readonly label: string,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.lastDraw = this.started;
  }

  update(done: number, total: number): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.drawn = true;
    const rate = done / Math.max((now - this.started) / 1000, 0.001);
    this.stream.write(
      `${ERASE_LINE}${this.label}: ${formatBytes(done)} / ${formatBytes(total)}, ${formatBytes(Math.round(rate))}/s`,
    );
  }

  clear(): void {
    if (this.drawn) this.stream.write(ERASE_LINE);
    this.drawn = false;
  }
}
