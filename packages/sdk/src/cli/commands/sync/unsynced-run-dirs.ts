/**
 * The run directories `stepwise sync` takes without arguments: every run under the stepwise
 * folder not marked synced to this server. A run's `.synced` marker lists the servers (instance
 * ids) that have all of it; an empty marker, from an SDK that did not know server ids, counts
 * as synced to any server. With no server id (the server did not answer) any marker counts.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { RUN_LOG_SUFFIX } from "../../../runlog/log-format.js";
import { STEPWISE_FOLDER } from "../../../runlog/run-directory.js";
import { syncedServers } from "../../../upload/upload-state.js";

export function unsyncedRunDirs(root: string, serverId: string | null = null, all = false): string[] {
  const folder = join(resolve(root), STEPWISE_FOLDER);
  if (!existsSync(folder)) return [];
  const dirs: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith("run-")) continue;
    const dir = join(folder, entry.name);
    const log = readdirSync(dir).find((name) => name.startsWith("run-") && name.endsWith(RUN_LOG_SUFFIX));
    if (log !== undefined && (all || !syncedTo(join(dir, log), serverId))) dirs.push(dir);
  }
  return dirs.sort();
}

function syncedTo(logFile: string, serverId: string | null): boolean {
  const servers = syncedServers(logFile);
  if (servers === null) return false;
  return serverId === null || servers.length === 0 || servers.includes(serverId);
}
