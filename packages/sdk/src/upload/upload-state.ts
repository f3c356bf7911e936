/**
 * What the server has acknowledged of a run directory, kept in `<run-dir>/upload-state.json`
 * and replaced atomically (temp file + rename) after every acknowledged batch, so that a later
 * `stepwise sync` resumes exactly where the last upload stopped. `base` holds the server's
 * stream counts when this directory started (non-zero for a resumed run): the log's items are
 * numbered from there. `<log>.synced` marks a run whose every record the server has.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { STREAMS, type StreamOffsets } from "@stepwise/protocol";
import { FILE_HEADER_BYTES } from "../runlog/log-format.js";

export const UPLOAD_STATE_FILE = "upload-state.json";
export const SYNCED_SUFFIX = ".synced";

export interface UploadState {
  version: 1;
  /** Log byte offset just after the last record the server acknowledged. */
  logOffset: number;
  /** Next offset of each stream after that record. */
  offsets: StreamOffsets;
  /** Stream counts on the server when this run directory started (resume). */
  base: StreamOffsets;
  /** The run's name as the server last reported it. */
  serverName: string | null;
}

export function zeroOffsets(): StreamOffsets {
  return { history: 0, events: 0, console: 0, meta: 0 };
}

export function initialUploadState(base: StreamOffsets = zeroOffsets()): UploadState {
  return {
    version: 1,
    logOffset: FILE_HEADER_BYTES,
    offsets: { ...base },
    base: { ...base },
    serverName: null,
  };
}

/** The saved state, or a fresh one when there is none (or it is unreadable: uploads are idempotent). */
export function readUploadState(runDir: string): UploadState {
  const file = join(runDir, UPLOAD_STATE_FILE);
  if (!existsSync(file)) return initialUploadState();
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<UploadState>;
    const base = checkOffsets(parsed.base) ?? zeroOffsets();
    const offsets = checkOffsets(parsed.offsets);
    if (typeof parsed.logOffset !== "number" || offsets === null) return initialUploadState(base);
    return {
      version: 1,
      logOffset: parsed.logOffset,
      offsets,
      base,
      serverName: typeof parsed.serverName === "string" ? parsed.serverName : null,
    };
  } catch {
    return initialUploadState();
  }
}

export function writeUploadState(runDir: string, state: UploadState): void {
  const file = join(runDir, UPLOAD_STATE_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(state) + "\n");
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true }); // a half-written temp file must not hold space on a full disk
    throw error;
  }
}

export function markSynced(logFile: string): void {
  writeFileSync(logFile + SYNCED_SUFFIX, "");
}

export function isSynced(logFile: string): boolean {
  return existsSync(logFile + SYNCED_SUFFIX);
}

function checkOffsets(value: unknown): StreamOffsets | null {
  if (typeof value !== "object" || value === null) return null;
  const out = zeroOffsets();
  for (const stream of STREAMS) {
    const n = (value as Record<string, unknown>)[stream];
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) return null;
    out[stream] = n;
  }
  return out;
}
