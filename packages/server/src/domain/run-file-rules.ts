/**
 * The rules every store keeps for a run's files, with their errors, in one place: a path's
 * folders cannot also be files of the run (and a file cannot also be a folder of others: the run
 * is restored into a folder tree), and a run holds at most so many files. The stores look up what
 * they hold; these say what that means.
 */
import { InvalidDataError, PathConflictError, type RunRef } from "@stepwise/protocol";

/** The folders of a file path, outermost first: `a/b/c.txt` → `a`, `a/b`. */
export function folderPaths(path: string): string[] {
  const segments = path.split("/");
  return segments.slice(1).map((_, i) => segments.slice(0, i + 1).join("/"));
}

/**
 * Why `path` cannot be stored, given `found`: a stored file at one of its folders (shorter than
 * `path`), or a stored file under `path` used as a folder.
 */
export function pathConflict(path: string, found: string): PathConflictError {
  return found.length < path.length
    ? new PathConflictError(
        `run file '${path}' cannot be stored: '${found}' is already a file of this run, and a ` +
          "file cannot also be a folder; upload it under another path, or name the folder differently",
      )
    : new PathConflictError(
        `run file '${path}' cannot be stored: '${path}' is already a folder of this run's files ` +
          `(it holds files such as '${found}'); upload it under another name`,
      );
}

/** A new file refused: the run already holds `held` files, its limit. */
export function tooManyRunFiles(ref: RunRef, path: string, held: number): InvalidDataError {
  return new InvalidDataError(
    `run file '${path}' cannot be stored: run ${ref.entity}/${ref.project}/${ref.runId} holds ${held} files, the most a run may hold; put files together (an archive) or use another run`,
  );
}
