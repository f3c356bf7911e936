/**
 * One line on a terminal's stderr while runs upload ("syncing: 2/5 runs done, 41% of 3 in
 * flight"), redrawn at most 5 times a second and erased at the end. A no-op when disabled.
 */
import type { Writable } from "node:stream";

const REDRAW_MS = 200;
const ERASE_LINE = "\r\x1b[K";

export class SyncProgress {
  private readonly active = new Map<string, number>();
  private done = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: Writable,
    private readonly enabled: boolean,
    private readonly total: number,
  ) {}

  update(dir: string, fraction: number): void {
    this.active.set(dir, fraction);
    this.draw(false);
  }

  finished(dir: string): void {
    this.active.delete(dir);
    this.done++;
    this.draw(true);
  }

  clear(): void {
    if (this.enabled && this.drawn) this.stream.write(ERASE_LINE);
    this.drawn = false;
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.drawn = true;
    const fractions = [...this.active.values()];
    const mean = fractions.length === 0 ? 0 : fractions.reduce((a, b) => a + b, 0) / fractions.length;
    const flight =
      fractions.length === 0 ? "" : `, ${Math.round(mean * 100)}% of ${fractions.length} in flight`;
    this.stream.write(`${ERASE_LINE}syncing: ${this.done}/${this.total} runs done${flight}`);
  }
}
