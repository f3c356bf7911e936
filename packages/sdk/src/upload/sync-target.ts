/**
 * Where `stepwise sync` sends a run directory whose run id the server refused (WRITER_CONFLICT:
 * another process wrote that run). The user chooses once, and the choice is kept in
 * `<run-dir>/sync-target.json` so that every later sync of the directory goes the same way:
 * - `new-id`: upload the directory as a run of its own under a fresh id;
 * - `resume`: append it to the stored run, after its last step, as `resume` would: every row's
 *   `_step` is shifted by `stepShift`, the stored name and start stay, the stored summary keys
 *   the directory does not set stay.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CorruptDataError, TAG_NUMBER } from "@stepwise/protocol";
import { generateRunId } from "../identity/run-id.js";
import type { ServerView } from "./server-view.js";
import { initialUploadState, writeFileAtomic, writeUploadState } from "./upload-state.js";

export const SYNC_TARGET_FILE = "sync-target.json";

export type SyncTarget =
  { mode: "new-id"; runId: string } | { mode: "resume"; runId: string; stepShift: number };

/** What the batch builder needs to append a log to a stored run (see batch-builder.ts). */
export interface ContinuedRun {
  /** Added to every row's `_step`: the stored run's last step + 1. */
  stepShift: number;
  /** The stored run's summary: its keys stay unless the directory sets them. */
  summary: Record<string, unknown>;
}

export function readSyncTarget(runDir: string): SyncTarget | null {
  const file = join(runDir, SYNC_TARGET_FILE);
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<SyncTarget> & { stepShift?: unknown };
  if (parsed.mode === "new-id" && typeof parsed.runId === "string")
    return { mode: "new-id", runId: parsed.runId };
  if (parsed.mode === "resume" && typeof parsed.runId === "string" && typeof parsed.stepShift === "number")
    return { mode: "resume", runId: parsed.runId, stepShift: parsed.stepShift };
  throw new CorruptDataError(
    `${file} is not a sync target this version understands; remove it to sync as usual`,
  );
}

export function writeSyncTarget(runDir: string, target: SyncTarget): void {
  writeFileAtomic(join(runDir, SYNC_TARGET_FILE), JSON.stringify({ version: 1, ...target }) + "\n");
}

/**
 * Records how a refused directory is to be uploaded and starts its upload state over: `new-id`
 * under a fresh id from nothing; `resume` from the stored run's counts (the writer claim carries
 * them, so the server refuses it if the run moved on), its rows after the stored last step.
 */
export function chooseSyncTarget(conflict: {
  dir: string;
  /** The run id the server refused. */
  runId: string;
  choice: "resume" | "new-id";
  view: ServerView;
}): void {
  const { dir, runId, choice, view } = conflict;
  const { serverId } = view;
  if (choice === "new-id" || view.run === null) {
    writeSyncTarget(dir, { mode: "new-id", runId: generateRunId() });
    writeUploadState(dir, initialUploadState(undefined, serverId));
    return;
  }
  const lastStep = view.run.lastStep;
  writeSyncTarget(dir, {
    mode: "resume",
    runId,
    stepShift: lastStep === null ? 0 : Math.floor(lastStep) + 1,
  });
  writeUploadState(dir, initialUploadState(view.run.offsets, serverId));
}

/**
 * A binary row of the run log (entry count first) with its `_step` moved by `shift`, copied:
 * the row still travels packed, as the log holds it. `keyOf` names a row's key ids.
 */
export function shiftPackedStep(row: Uint8Array, keyOf: (id: number) => string, shift: number): Uint8Array {
  const out = row.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const count = view.getUint32(0, true);
  for (let e = 0, p = 4; e < count; e++) {
    const isNumber = out[p + 4] === TAG_NUMBER;
    if (isNumber && keyOf(view.getUint32(p, true)) === "_step") {
      view.setFloat64(p + 5, view.getFloat64(p + 5, true) + shift, true);
      break;
    }
    p += isNumber ? 13 : 9 + view.getUint32(p + 5, true);
  }
  return out;
}

/** A row with its `_step` moved by `shift` (rows without a numeric `_step` are left as they are). */
export function shiftStep(row: Record<string, unknown>, shift: number): Record<string, unknown> {
  const step = row["_step"];
  return typeof step === "number" ? { ...row, _step: step + shift } : row;
}
