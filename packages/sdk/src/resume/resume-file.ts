/**
 * `resume: "auto"` remembers the run id in `<dir>/stepwise/resume.json` (W&B's
 * wandb-resume.json, reference §1.10): a script re-run after a crash picks the same id up and
 * continues that run. A run that finishes with exit code 0, and any run started without
 * `resume`, removes the file.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { STEPWISE_FOLDER } from "../runlog/run-directory.js";

export const RESUME_FILE = "resume.json";

function resumeFile(rootDir: string): string {
  return join(rootDir, STEPWISE_FOLDER, RESUME_FILE);
}

export function readResumeId(rootDir: string): string | null {
  try {
    const parsed = JSON.parse(readFileSync(resumeFile(rootDir), "utf8")) as { runId?: unknown };
    return typeof parsed.runId === "string" && parsed.runId !== "" ? parsed.runId : null;
  } catch {
    return null;
  }
}

export function writeResumeId(rootDir: string, runId: string): void {
  try {
    mkdirSync(join(rootDir, STEPWISE_FOLDER), { recursive: true });
    writeFileSync(resumeFile(rootDir), JSON.stringify({ runId }) + "\n");
  } catch {
    // resuming by file is a convenience: a read-only directory only loses it
  }
}

export function removeResumeFile(rootDir: string): void {
  rmSync(resumeFile(rootDir), { force: true });
}
