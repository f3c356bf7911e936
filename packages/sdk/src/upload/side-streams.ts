/**
 * The ingest batch's `events` (system metrics: the log's `system` records) and `console` (the
 * log's `console` records) streams, numbered from the run directory's base offsets like history.
 * A console record's `rewrite` puts its first line at the last line's offset again (the last
 * state of a `\r` progress bar replaces the earlier one); the server stores console lines by
 * offset, so sending one again is harmless.
 */
import type { ConsoleRecord, IngestBatch, StreamOffsets, SystemRecord } from "@stepwise/protocol";

/** Items of one stream per batch at most (the server takes up to LIMITS.batchItems). */
const MAX_ITEMS = 20_000;

export class SideStreams {
  private events: Array<Record<string, number>> = [];
  private eventsStart = 0;
  private console: string[] = [];
  private consoleStart = 0;

  get items(): number {
    return this.events.length + this.console.length;
  }

  get full(): boolean {
    return this.events.length >= MAX_ITEMS || this.console.length >= MAX_ITEMS;
  }

  /** Numbers the sample; keeps it when `send`. */
  addSystem(record: SystemRecord, send: boolean, offsets: StreamOffsets, below: StreamOffsets): boolean {
    const index = offsets.events++;
    if (!send || index < below.events) return false;
    if (this.events.length === 0) this.eventsStart = index;
    this.events.push(record.sample);
    return true;
  }

  /** Numbers the lines; keeps them when `send`. */
  addConsole(record: ConsoleRecord, send: boolean, offsets: StreamOffsets, below: StreamOffsets): boolean {
    let kept = false;
    record.lines.forEach((line, i) => {
      const rewrite = i === 0 && record.rewrite === true && offsets.console > 0;
      const index = rewrite ? offsets.console - 1 : offsets.console++;
      if (!send || (index < below.console && !rewrite)) return;
      kept = true;
      const end = this.consoleStart + this.console.length;
      if (this.console.length === 0 || index < this.consoleStart || index > end) {
        // Not next to what the batch holds (cannot happen with the capture's records): start over from here.
        this.console = [line];
        this.consoleStart = index;
      } else if (index === end) this.console.push(line);
      else this.console[index - this.consoleStart] = line;
    });
    return kept;
  }

  fill(batch: IngestBatch): void {
    if (this.events.length > 0) batch.events = { offset: this.eventsStart, lines: this.events };
    if (this.console.length > 0) batch.console = { offset: this.consoleStart, lines: this.console };
  }

  clear(): void {
    this.events = [];
    this.console = [];
  }
}
