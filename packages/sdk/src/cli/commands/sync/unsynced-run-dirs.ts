/**
 * The run directories `stepwise sync` takes without arguments: every run under the stepwise
 * folder not marked synced to this server. A run's `.synced` marker lists the servers (instance
 * ids) that have all of it; an empty marker, from an SDK that did not know server ids, counts
 * as synced to any server. With no server id (the server did not answer) any marker counts.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export function unsyncedRunDirs(root: string, serverId: string | null = null, all = false): string[] {
  const folder = join(resolve(root), "stepwise");
  if (!existsSync(folder)) return [];
  const dirs: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith("run-")) continue;
    const dir = join(folder, entry.name);
    const files = readdirSync(dir);
    const log = files.find((name) => name.startsWith("run-") && name.endsWith(".swlog"));
    if (log !== undefined && (all || !syncedTo(join(dir, `${log}.synced`), serverId))) dirs.push(dir);
  }
  return dirs.sort();
}

function syncedTo(marker: string, serverId: string | null): boolean {
  if (!existsSync(marker)) return false;
  const servers = readFileSync(marker, "utf8")
    .split("\n")
    .filter((line) => line !== "");
  return serverId === null || servers.length === 0 || servers.includes(serverId);
}
