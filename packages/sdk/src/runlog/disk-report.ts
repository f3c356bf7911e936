/**
 * What the run log writer tells its run about the disk: whether records can be written now,
 * and what was dropped while they could not. Read from the writer's shared control slots.
 */
import { DISK_PROBLEM_CODES, SLOT, type DiskProblemCode } from "./ring-layout.js";

/** Where the writer stands with the disk (`run.status()` reports it). */
export interface DiskReport {
  /** Why records cannot be written now (ENOSPC, EDQUOT, EIO, EROFS, OTHER); null while writes succeed. */
  problem: DiskProblemCode | null;
  /** History rows logged but never written to the log (the hold was full while writes failed). */
  droppedRows: number;
  /** Other records (config, summary, metric, exit…) never written for the same reason. */
  droppedRecords: number;
  /** Bytes held in memory, waiting for the disk. */
  heldBytes: number;
}

/**
 * Written next to the log at `init()` and deleted at close: when the disk is full at the end of
 * a run, deleting it makes room for the summary snapshot and exit record (a few KiB).
 */
export const SPACE_RESERVE_FILE = ".space-reserve";
export const SPACE_RESERVE_BYTES = 64 * 1024;

export function readDiskReport(control: Int32Array): DiskReport {
  const problem = Atomics.load(control, SLOT.diskProblem);
  return {
    problem: problem === 0 ? null : (DISK_PROBLEM_CODES[problem] as DiskProblemCode),
    droppedRows: Atomics.load(control, SLOT.droppedRows),
    droppedRecords: Atomics.load(control, SLOT.droppedRecords),
    heldBytes: Atomics.load(control, SLOT.heldKiB) * 1024,
  };
}

const WHY: Record<DiskProblemCode, string> = {
  ENOSPC: "is full (ENOSPC)",
  EDQUOT: "is over its quota (EDQUOT)",
  EIO: "reports I/O errors (EIO)",
  EROFS: "became read-only (EROFS)",
  OTHER: "refuses writes",
};

/** The one warning printed when writes start failing: which path, what happens, what to do. */
export function diskProblemWarning(logFile: string, problem: DiskProblemCode, holdBytes: number): string {
  const hold =
    holdBytes >= 1024 * 1024
      ? `${Math.round(holdBytes / (1024 * 1024))} MiB`
      : `${Math.round(holdBytes / 1024)} KiB`;
  return (
    `the disk holding ${logFile} ${WHY[problem]}: the run log cannot grow. Training continues; ` +
    `up to ${hold} of records wait in memory and are written in order once space is freed, ` +
    `history rows beyond that are dropped and counted in run.status().droppedRows. ` +
    `Free space on that filesystem (or start runs with init({ dir }) on another disk); ` +
    `the upload continues with what is already on disk.`
  );
}

/**
 * The cause under which `droppedSummary` is printed once (Terminal.warnOnce): the same counts
 * are reported once, whether on recovery or at finish, and a disk that recovers again without
 * dropping more says nothing new.
 */
export function droppedSummaryCause(report: DiskReport): string {
  return `disk-dropped-${report.droppedRows}-${report.droppedRecords}`;
}

/** Printed when writes work again, or at finish: what was not written, never silently. */
export function droppedSummary(logFile: string, report: DiskReport): string {
  if (report.droppedRows === 0 && report.droppedRecords === 0)
    return `the run log ${logFile} is being written again; nothing was dropped`;
  return (
    `the run log ${logFile} is missing ${report.droppedRows} history row(s) and ` +
    `${report.droppedRecords} other record(s) logged while its disk could not be written; ` +
    `everything before and after them is kept in order`
  );
}
