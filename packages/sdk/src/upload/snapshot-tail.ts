/**
 * The records of a finished run log for `stepwise sync`, read with the run log reader — the
 * same reader `stepwise export` uses — so that sync uploads exactly the rows export recovers:
 * damaged regions are skipped by resynchronising, rows whose key definition was damaged are
 * decoded with a later key table, and a frame whose length runs past the end of the file is
 * damage, not a write still in flight (what the live tail must assume). When the log's run
 * record itself is damaged, the copy in `files/metadata.json` is sent in its place.
 */
import type { RunStartRecord } from "@stepwise/protocol";
import { FILE_HEADER_BYTES } from "../runlog/log-format.js";
import { RunLogReader, type RunLogEntry, type RunLogIssue } from "../runlog/run-log-reader.js";
import type { RowCounts } from "../runlog/row-loss.js";
import type { LogSource, TailEntry } from "./log-tail.js";

export class SnapshotTail implements LogSource {
  private reader: RunLogReader;
  private entries: Generator<RunLogEntry>;
  /** True once the current read reached the end of the log. */
  complete = false;
  /** The current read met the run's exit record. */
  sawExit = false;

  private started = false;

  /** `startRecord`: the run record to send first when the log's own is damaged (null: it is intact). */
  constructor(
    readonly file: string,
    private readonly startRecord: RunStartRecord | null = null,
  ) {
    this.reader = new RunLogReader(file);
    this.entries = this.reader.records();
  }

  /** Rows read and lost by the current read (final once `complete`). */
  get rows(): RowCounts {
    return this.reader.rows;
  }

  get issues(): readonly RunLogIssue[] {
    return this.reader.issues;
  }

  next(): TailEntry | null {
    if (!this.started) {
      this.started = true;
      // Placed just after the file header, so an acknowledged log offset skips it like the record it replaces.
      if (this.startRecord !== null)
        return { offset: FILE_HEADER_BYTES, end: FILE_HEADER_BYTES + 1, record: this.startRecord, keys: [] };
    }
    const step = this.entries.next();
    if (step.done === true) {
      this.complete = true;
      return null;
    }
    const { offset, end, record, packed } = step.value;
    if (record.t === "exit") this.sawExit = true;
    const keys = this.reader.keys;
    return packed === undefined ? { offset, end, record, keys } : { offset, end, record, packed, keys };
  }

  rewind(): void {
    this.close();
    this.reader = new RunLogReader(this.file);
    this.entries = this.reader.records();
    this.complete = false;
    this.sawExit = false;
    this.started = false;
  }

  close(): void {
    this.entries.return(undefined);
    this.reader.close();
  }
}
