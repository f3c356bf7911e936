/**
 * The end of a finished run's output: the final summary.json and config.json in the run's
 * files folder (media values as W&B's JSON, their files being written by then), a warning for
 * a log that may not be complete on disk, and the footer with the sparklines and the summary.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringifyExtended } from "@stepwise/protocol";
import { formatFooter } from "../console/footer.js";
import { withMediaJson } from "../media/pending-media.js";
import { droppedSummary, droppedSummaryCause } from "../runlog/disk-report.js";
import type { WriterClose } from "../runlog/run-log-writer.js";
import type { RunParts } from "./run-parts.js";

/** Writes the final files of the run at `parts.dir` and prints what its finish has to say. */
export function reportFinish(parts: RunParts, closed: WriterClose, offline: boolean): void {
  const summary = withMediaJson(parts.engine.toJSON()) as Record<string, unknown>;
  const files = join(parts.dir, "files");
  const terminal = parts.terminal;
  try {
    writeFileSync(join(files, "summary.json"), stringifyExtended(summary) + "\n");
    writeFileSync(join(files, "config.json"), JSON.stringify(parts.config.toJSON(), null, 2) + "\n");
  } catch (error) {
    terminal.warn(`could not write ${files}: ${String(error)}`);
  }
  const writerError = parts.writer?.workerError ?? null;
  if (writerError !== null)
    terminal.warn(
      `the run log's writer thread failed (${String(writerError)}); what was logged may not be on disk`,
    );
  else if (closed === "timed-out")
    terminal.warn(`timed out waiting for the run log to reach the disk; data may still be written`);
  // What its disk would not take, printed again only when the counts changed since the recovery message.
  const disk = parts.writer?.diskReport();
  if (disk !== undefined && (disk.droppedRows > 0 || disk.droppedRecords > 0))
    terminal.warnOnce(droppedSummaryCause(disk), droppedSummary(parts.writer?.file ?? parts.dir, disk));
  terminal.info(formatFooter({ sparklines: parts.engine.sparklines(), summary, runDir: parts.dir, offline }));
}
