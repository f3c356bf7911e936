/**
 * `run.restore(name, { runPath, replace, root })`, W&B's `wandb.restore`: brings a file of this
 * run (or of the run at `runPath`) from the server into the run directory's `files/` folder (or
 * `root`) and resolves to its local path; a file already there is kept unless `replace`. Null
 * when the run has no such file; NotFoundError when the run does not exist; a StepwiseError
 * UNAVAILABLE when the server cannot be reached.
 *
 * An offline run never sends anything to a server, and has none of its own files there: it
 * restores only from another run named by `runPath`, a read the caller asks for explicitly
 * (from `STEPWISE_BASE_URL`, the saved login, or init's `baseUrl`). A disabled run restores
 * nothing (null) and contacts no one.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { filePathSchema, UsageError, type RunMode, type RunRef } from "@stepwise/protocol";
import { parseRunPath } from "../api/run-path.js";
import { downloadRunFile } from "../files/file-client.js";
import type { ServerTarget } from "../upload/server-target.js";

export interface RestoreOptions {
  /** `entity/project/runId` of the run to restore from. Default: this run. */
  runPath?: string;
  /** Download even when the file is there already (and overwrite it). Default false. */
  replace?: boolean;
  /** Folder the file's path is resolved against. Default: the run directory's `files/` folder. */
  root?: string;
}

export interface RestoreContext {
  mode: RunMode;
  /** This run. */
  ref: RunRef;
  /** `<run dir>/files`. */
  filesDir: string;
  /** The server this run talks to (for an offline run: where a `runPath` is read from). */
  target: ServerTarget;
}

export async function restoreRunFile(
  context: RestoreContext,
  name: string,
  options: RestoreOptions = {},
): Promise<string | null> {
  checkArguments(name, options);
  const ref = options.runPath === undefined ? context.ref : parseRunPath(options.runPath);
  if (context.mode === "disabled") return null;
  if (context.mode === "offline" && options.runPath === undefined)
    throw new UsageError(
      `run.restore(${JSON.stringify(name)}): an offline run has no files on a server to restore; ` +
        "pass { runPath: 'entity/project/runId' } to restore a file of a run on the server, or restore in an online run",
    );
  const local = resolve(options.root ?? context.filesDir, ...name.split("/"));
  if (options.replace !== true && (await isFile(local))) return local;
  const file = await downloadRunFile(context.target, ref, name, local);
  return file === null ? null : local;
}

function checkArguments(name: string, options: RestoreOptions): void {
  if (typeof name !== "string" || !filePathSchema.safeParse(name).success)
    throw new UsageError(
      `run.restore(name): ${JSON.stringify(name)} is not a run file path; use a relative path with / separators ` +
        "and no empty, . or .. segment, e.g. 'model/weights.bin'",
    );
  if (typeof options !== "object" || options === null)
    throw new UsageError("run.restore(name, options): options must be an object { runPath, replace, root }");
  for (const key of Object.keys(options))
    if (!["runPath", "replace", "root"].includes(key))
      throw new UsageError(
        `run.restore(): unknown option '${key}'; the options are runPath, replace and root`,
      );
  if (options.runPath !== undefined && typeof options.runPath !== "string")
    throw new UsageError("run.restore(): runPath must be a string 'entity/project/runId'");
  if (options.replace !== undefined && typeof options.replace !== "boolean")
    throw new UsageError("run.restore(): replace must be true or false");
  if (options.root !== undefined && (typeof options.root !== "string" || options.root === ""))
    throw new UsageError("run.restore(): root must be a folder path");
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}
