/** The run directories `stepwise sync` takes without arguments: every unsynced run under the stepwise folder. */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

export function unsyncedRunDirs(root: string): string[] {
  const folder = join(resolve(root), "stepwise");
  if (!existsSync(folder)) return [];
  const dirs: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith("run-")) continue;
    const dir = join(folder, entry.name);
    const files = readdirSync(dir);
    const log = files.find((name) => name.startsWith("run-") && name.endsWith(".swlog"));
    if (log !== undefined && !files.includes(`${log}.synced`)) dirs.push(dir);
  }
  return dirs.sort();
}
