/**
 * Tells the user, on stderr, about damage found in the run log. The export still succeeds
 * (exit 0): every intact record was read, and a torn tail is the normal mark of a killed run.
 */
import type { Writable } from "node:stream";
import type { RunLogIssue } from "../../../runlog/run-log-reader.js";

export function reportLogIssues(
  logFile: string,
  issues: readonly RunLogIssue[],
  rows: number,
  stderr: Writable,
): void {
  for (const issue of issues) {
    if (issue.kind === "torn-tail") {
      // A live run's last write may also be in flight; "interrupted" is the common case.
      stderr.write(
        `note: the log ends with an incomplete write (the run was interrupted or is still running); ` +
          `${rows} rows recovered\n`,
      );
    } else {
      stderr.write(
        `warning: ${logFile} at offset ${issue.offset} (${issue.bytes} bytes): ${issue.message}\n`,
      );
    }
  }
}
