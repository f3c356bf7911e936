/**
 * `run.save(glob, { basePath, policy })` with `wandb.save`'s semantics: the glob is expanded
 * when save is called (files created later are not picked up: call save again), and the path
 * of each file in the run is its path relative to the base path:
 * - `basePath` given: relative to it (the glob must lie under it);
 * - a relative glob without `basePath`: relative to the working directory, so
 *   `save("ckpt/*.pt")` keeps `ckpt/`;
 * - an absolute glob without `basePath`: one folder level is kept (`/mnt/out/model.h5` →
 *   `out/model.h5`), as W&B does.
 * Nothing is read here: the files are hashed and sent by the upload worker.
 */
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { FILE_POLICIES, filePathSchema, LIMITS, UsageError, type FilePolicy } from "@stepwise/protocol";
import { expandGlob } from "./save-glob.js";

export interface SaveOptions {
  /** The folder the kept paths are relative to (default: see above). */
  basePath?: string;
  /** `live` (default, as W&B): now and whenever it changes; `now`: once; `end`: at finish. */
  policy?: FilePolicy;
}

export interface SavePlan {
  policy: FilePolicy;
  files: Array<{ path: string; local: string }>;
  /** The warning to print (once per cause), or null. */
  warning: { cause: string; message: string } | null;
}

export function planSave(glob: unknown, options: SaveOptions | undefined, cwd: string): SavePlan {
  if (typeof glob !== "string" || glob === "")
    throw new UsageError(
      "run.save(glob) needs a file path or glob pattern, e.g. run.save('checkpoints/*.pt')",
    );
  const policy = options?.policy ?? "live";
  if (!(FILE_POLICIES as readonly string[]).includes(policy))
    throw new UsageError(
      `run.save: policy must be one of ${FILE_POLICIES.join(", ")} (got ${JSON.stringify(policy)})`,
    );
  const basePath = options?.basePath;
  if (basePath !== undefined && (typeof basePath !== "string" || basePath === ""))
    throw new UsageError("run.save: basePath must be a non-empty folder path");
  const globPath = resolve(cwd, glob);
  let warning: SavePlan["warning"] = null;
  let base: string;
  if (basePath !== undefined) base = resolve(cwd, basePath);
  else if (!isAbsolute(glob)) base = cwd;
  else {
    base = dirname(dirname(globPath));
    warning = {
      cause: "save-without-folders",
      message: `run.save: saving files without their folders (kept: the parent folder and the name). To keep more, pass basePath, e.g. run.save("/mnt/folder/file.h5", { basePath: "/mnt" })`,
    };
  }
  const inside = relative(base, globPath);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside))
    throw new UsageError(
      `run.save: the glob ${JSON.stringify(glob)} must lie under basePath ${JSON.stringify(base)}`,
    );
  const files: SavePlan["files"] = [];
  const skipped: string[] = [];
  for (const local of expandGlob(globPath)) {
    const path = relative(base, local).split(sep).join("/");
    // A name a run file cannot have (a backslash, a control character, too long) is left out.
    if (filePathSchema.safeParse(path).success) files.push({ path, local });
    else skipped.push(local);
  }
  if (skipped.length > 0)
    warning = {
      cause: `save-skipped-${globPath}`,
      message: `run.save: ${skipped.length} file(s) left out because their names cannot be run file paths (backslash, control character, or over ${LIMITS.filePathLength} characters), e.g. ${skipped[0] ?? ""}`,
    };
  if (files.length === 0 && skipped.length === 0)
    warning = {
      cause: `save-missing-${globPath}`,
      message: `run.save: no file matches ${globPath}; nothing saved`,
    };
  return { policy, files, warning };
}
