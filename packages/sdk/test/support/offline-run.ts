/** Starts a silent offline run in a temp dir and reads back what reached the disk. */
import { init, iterateHistory, type InitOptions, type Run } from "../../src/index.js";

export async function offlineRun(dir: string, options: InitOptions = {}): Promise<Run> {
  return init({
    mode: "offline",
    dir,
    project: "test",
    ...options,
    settings: { silent: true, ...options.settings },
  });
}

/** History rows as stored, without `_runtime` / `_timestamp` (they vary) unless asked. */
export function storedRows(runDir: string, keepTimes = false): Array<Record<string, unknown>> {
  return [...iterateHistory(runDir)].map((row) => {
    if (keepTimes) return row;
    const { _runtime: _r, _timestamp: _t, ...rest } = row;
    return rest;
  });
}
