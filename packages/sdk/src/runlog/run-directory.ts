/**
 * Where a run lives on disk: `<root>/stepwise/run-YYYYMMDD_HHMMSS-<id>/` holding the record
 * log `run-<id>.swlog` and `files/`, with `<root>/stepwise/latest-run` pointing at the newest.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, symlinkSync, unlinkSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { NotFoundError } from "@stepwise/protocol";
import { RUN_LOG_SUFFIX } from "./log-format.js";

export const STEPWISE_FOLDER = "stepwise";
export const LATEST_RUN_LINK = "latest-run";

/** `YYYYMMDD_HHMMSS` in local time, as W&B names run directories. */
export function runDirectoryStamp(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}_` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

/** Creates a fresh run directory (suffix -1, -2… if the name is taken) and repoints latest-run. */
export function createRunDirectory(root: string, runId: string, started: Date): string {
  const folder = join(resolve(root), STEPWISE_FOLDER);
  mkdirSync(folder, { recursive: true });
  const base = `run-${runDirectoryStamp(started)}-${runId}`;
  let name = base;
  for (let suffix = 1; existsSync(join(folder, name)); suffix++) name = `${base}-${suffix}`;
  const dir = join(folder, name);
  mkdirSync(join(dir, "files"), { recursive: true });
  pointLatestRun(folder, name);
  return dir;
}

/** Atomically repoints `latest-run` (temp link + rename); failures are harmless and ignored. */
function pointLatestRun(folder: string, name: string): void {
  const temp = join(folder, `${LATEST_RUN_LINK}.${process.pid}`);
  try {
    symlinkSync(name, temp);
    renameSync(temp, join(folder, LATEST_RUN_LINK));
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to clean up
    }
  }
}

/**
 * Resolves what a user may point at — a run directory, `latest-run`, a `stepwise/` folder
 * (its latest run) or a `.swlog` file — to the run's log file.
 */
export function resolveRunLog(target: string): { dir: string; logFile: string } {
  const path = resolve(target);
  if (!existsSync(path))
    throw new NotFoundError(`${target} does not exist; pass a run directory such as stepwise/latest-run`);
  if (statSync(path).isFile()) {
    if (!path.endsWith(RUN_LOG_SUFFIX))
      throw new NotFoundError(`${target} is not a run log (*${RUN_LOG_SUFFIX}) or run directory`);
    return { dir: resolve(path, ".."), logFile: path };
  }
  const latest = join(path, LATEST_RUN_LINK);
  if (basename(path) === STEPWISE_FOLDER && existsSync(latest)) return resolveRunLog(latest);
  const log = readdirSync(path).find((entry) => entry.startsWith("run-") && entry.endsWith(RUN_LOG_SUFFIX));
  if (!log)
    throw new NotFoundError(
      `${target} holds no run log (run-<id>${RUN_LOG_SUFFIX}); pass a run directory such as stepwise/latest-run`,
    );
  return { dir: path, logFile: join(path, log) };
}
