/**
 * Runs a built `stepwise` bin and reports which modules it loaded: the bin runs under
 * fixtures/module-log-hooks.mjs (a module.register load hook), which writes every URL to a file.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliWith, type SpawnedResult } from "./spawn-cli.js";

const HOOKS = new URL("../fixtures/module-log-hooks.mjs", import.meta.url).href;

export interface LoadedRun extends SpawnedResult {
  /** The URL of every module the process loaded, in load order (node: builtins included). */
  modules: string[];
}

/** `bin` defaults to the SDK's; @stepwise/cli's tests pass their own. */
export async function runLoggingModules(args: readonly string[], bin?: string): Promise<LoadedRun> {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-modules-"));
  const log = join(dir, "modules.txt");
  try {
    const env = { NODE_OPTIONS: `--import ${HOOKS}`, STEPWISE_MODULE_LOG: log };
    const result = await runCliWith(args, bin === undefined ? { env } : { env, bin });
    const modules = readFileSync(log, "utf8").split("\n").filter(Boolean);
    return { ...result, modules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The modules under `<package>/dist/` (as `dist/…` paths) that a run loaded from `packageDir`. */
export function distModules(run: LoadedRun, packageDir: string): string[] {
  const prefix = `${packageDir}/dist/`;
  return run.modules.filter((url) => url.includes(prefix)).map((url) => `dist/${url.split(prefix)[1]}`);
}
