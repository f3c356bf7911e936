/**
 * What `stepwise sync` reads of a run directory's log besides uploading it: the run record (or
 * its copy in files/metadata.json when damaged), and the counts the result reports — rows the
 * log gives back, rows damage cost, rows set aside by quarantine, whether it holds the exit.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NotFoundError, runRecordSchema, type RunStartRecord } from "@stepwise/protocol";
import type { RowCounts } from "../runlog/row-loss.js";
import { RunLogReader, type RunLogIssue } from "../runlog/run-log-reader.js";

export interface SyncRows {
  /** History rows read back from the run log: what `stepwise export <run-dir>` recovers. */
  recovered: number;
  /** Of those, rows the server has acknowledged (now or in an earlier upload). */
  uploaded: number;
  /** Rows lost to damaged bytes in the log (a lower bound when `unreadableExact` is false). */
  unreadable: number;
  /** False when damage after the writer's last row count (a killed run, a cut log) leaves the loss uncertain. */
  unreadableExact: boolean;
}

export interface LogCounts {
  rows: RowCounts;
  issues: readonly RunLogIssue[];
  exit: boolean;
  quarantinedRows: number;
}

export function syncRows(counts: RowCounts, acked: number): SyncRows {
  return {
    recovered: counts.readable,
    uploaded: Math.max(0, Math.min(acked, counts.readable)),
    unreadable: counts.unreadable,
    unreadableExact: counts.exact,
  };
}

export function describeRows(rows: SyncRows): string {
  const lost = rows.unreadableExact ? `${rows.unreadable}` : `at least ${rows.unreadable}`;
  return `${rows.recovered} rows recovered from the log, ${rows.uploaded} on the server, ${lost} unreadable`;
}

/** Reads the whole log for its counts (when the upload stopped before its end, or set rows aside). */
export function readLog(logFile: string, quarantined: ReadonlySet<number>): LogCounts {
  const reader = new RunLogReader(logFile);
  let exit = false;
  let quarantinedRows = 0;
  for (const { record, offset } of reader.records()) {
    if (record.t === "exit") exit = true;
    else if (record.t === "history" && quarantined.has(offset)) quarantinedRows++;
  }
  return { rows: reader.rows, issues: reader.issues, exit, quarantinedRows };
}

/** The log's run record; when damaged, the copy `init()` wrote to files/metadata.json. */
export function readStartRecord(
  dir: string,
  logFile: string,
): { start: RunStartRecord; fromMetadata: boolean } {
  const reader = new RunLogReader(logFile);
  let damaged: boolean;
  try {
    for (const { record } of reader.records()) {
      if (record.t === "run") return { start: record, fromMetadata: false };
      break;
    }
    damaged = reader.issues.length > 0;
  } finally {
    reader.close();
  }
  const copy = join(dir, "files", "metadata.json");
  if (damaged && existsSync(copy)) {
    const parsed = runRecordSchema.safeParse(JSON.parse(readFileSync(copy, "utf8")));
    if (parsed.success && parsed.data.t === "run") return { start: parsed.data, fromMetadata: true };
  }
  throw new NotFoundError(
    damaged
      ? `${logFile} has a damaged run record and ${copy} holds no usable copy; the run cannot be synced (\`stepwise export ${dir}\` still reads its rows)`
      : `${logFile} holds no run record; the run never started writing, so there is nothing to sync`,
  );
}
