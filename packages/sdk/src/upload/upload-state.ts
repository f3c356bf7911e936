/**
 * What the server has acknowledged of a run directory, kept in `<run-dir>/upload-state.json`
 * and replaced atomically (temp file + rename) after every acknowledged batch, so that a later
 * `stepwise sync` resumes exactly where the last upload stopped. `base` holds the server's
 * stream counts when this directory started (non-zero for a resumed run): the log's items are
 * numbered from there. The offsets belong to one server, named by its instance id (`serverId`,
 * from the server's answers): against another server, or one restored from a backup, `stepwise
 * sync` asks the server what it has instead of trusting them. `<log>.synced` marks a run whose
 * every record a server has; it lists those servers' ids, one a line (empty: written by an SDK
 * that did not know server ids).
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
  /** Instance id of the server these offsets belong to; null before its first answer. */
  serverId: string | null;
}

export function zeroOffsets(): StreamOffsets {
  return { history: 0, events: 0, console: 0, meta: 0 };
}

export function initialUploadState(
  base: StreamOffsets = zeroOffsets(),
  serverId: string | null = null,
): UploadState {
  return {
    version: 1,
    logOffset: FILE_HEADER_BYTES,
    offsets: { ...base },
    base: { ...base },
    serverName: null,
    serverId,
  };
}

/** The saved state, or a fresh one when there is none (or it is unreadable: uploads are idempotent). */
export function readUploadState(runDir: string): UploadState {
  const file = join(runDir, UPLOAD_STATE_FILE);
  if (!existsSync(file)) return initialUploadState();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return initialUploadState();
  }
  const base = checkOffsets((parsed as Partial<UploadState> | null)?.base) ?? zeroOffsets();
  return parseUploadState(parsed) ?? initialUploadState(base);
}

/** A saved state as parsed JSON, checked; null when it is not one. */
export function parseUploadState(value: unknown): UploadState | null {
  if (typeof value !== "object" || value === null) return null;
  const parsed = value as Partial<UploadState>;
  const offsets = checkOffsets(parsed.offsets);
  if (typeof parsed.logOffset !== "number" || offsets === null) return null;
  return {
    version: 1,
    logOffset: parsed.logOffset,
    offsets,
    base: checkOffsets(parsed.base) ?? zeroOffsets(),
    serverName: typeof parsed.serverName === "string" ? parsed.serverName : null,
    serverId: typeof parsed.serverId === "string" ? parsed.serverId : null,
  };
}

export function writeUploadState(runDir: string, state: UploadState): void {
  writeFileAtomic(join(runDir, UPLOAD_STATE_FILE), JSON.stringify(state) + "\n");
}

/** Replaces `file` whole (temp file + rename): a crash leaves the old file or the new one. */
export function writeFileAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true }); // a half-written temp file must not hold space on a full disk
    throw error;
  }
}

/** Marks the run synced to the server `serverId` (null: an unknown server, an empty marker). */
export function markSynced(logFile: string, serverId: string | null = null): void {
  const servers = syncedServers(logFile) ?? [];
  if (serverId !== null && !servers.includes(serverId)) servers.push(serverId);
  writeFileSync(logFile + SYNCED_SUFFIX, servers.map((id) => id + "\n").join(""));
}

/** The servers the run is marked synced to; null without a marker, [] for one from an older SDK. */
export function syncedServers(logFile: string): string[] | null {
  if (!existsSync(logFile + SYNCED_SUFFIX)) return null;
  return readFileSync(logFile + SYNCED_SUFFIX, "utf8")
    .split("\n")
    .filter((line) => line !== "");
}

/** Takes `serverId` off the marker (the server turned out to lack records); no servers left, no marker. */
export function unmarkSynced(logFile: string, serverId: string): void {
  const servers = syncedServers(logFile);
  if (servers === null) return;
  const left = servers.filter((id) => id !== serverId);
  if (left.length === 0) rmSync(logFile + SYNCED_SUFFIX, { force: true });
  else writeFileSync(logFile + SYNCED_SUFFIX, left.map((id) => id + "\n").join(""));
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
