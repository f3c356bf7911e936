/**
 * What each server has acknowledged of a run directory, kept in `<run-dir>/sync-state.json`:
 * one upload state (upload-state.ts) per server instance id, saved after every sync. The live
 * uploader's `upload-state.json` holds the state for the last server it talked to; this file
 * keeps the others, so a run synced to several servers resumes with each where it stopped.
 * Replaced atomically; an unreadable file is as good as none (the server is asked anyway).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseUploadState, readUploadState, writeFileAtomic, type UploadState } from "./upload-state.js";

export const SYNC_STATE_FILE = "sync-state.json";

/** The state saved for `serverId`: upload-state.json when it is that server's, else sync-state.json's entry. */
export function readServerState(runDir: string, serverId: string): UploadState | null {
  const current = readUploadState(runDir);
  if (current.serverId === serverId) return current;
  const saved = readAll(runDir)[serverId];
  if (saved === undefined) return null;
  return { ...saved, base: current.base, serverId };
}

export function saveServerState(runDir: string, state: UploadState): void {
  if (state.serverId === null) return;
  const all = readAll(runDir);
  all[state.serverId] = state;
  writeFileAtomic(join(runDir, SYNC_STATE_FILE), JSON.stringify({ version: 1, servers: all }) + "\n");
}

function readAll(runDir: string): Record<string, UploadState> {
  const file = join(runDir, SYNC_STATE_FILE);
  if (!existsSync(file)) return {};
  let servers: unknown;
  try {
    servers = (JSON.parse(readFileSync(file, "utf8")) as { servers?: unknown }).servers;
  } catch {
    return {};
  }
  if (typeof servers !== "object" || servers === null) return {};
  const out: Record<string, UploadState> = {};
  for (const [id, value] of Object.entries(servers as Record<string, unknown>)) {
    const state = parseUploadState(value);
    if (state !== null) out[id] = state;
  }
  return out;
}
