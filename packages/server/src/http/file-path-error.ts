/**
 * Says why a run file path cannot be stored, in the user's terms (the path as uploaded, not the
 * file store's key) and with the fix: a 409 for a collision with a stored file or folder, a 400
 * for a name the file store cannot hold.
 */
import { InvalidDataError, PathConflictError, type RunRef, type StepwiseError } from "@stepwise/protocol";
import type { BlobKeyError } from "../blob/blob-store.js";
import { fileKey } from "../blob/file-key.js";

export function filePathError(error: BlobKeyError, ref: RunRef, path: string): StepwiseError {
  const prefix = fileKey(ref, "");
  const at = error.at.startsWith(prefix) ? error.at.slice(prefix.length) : null;
  switch (error.reason) {
    case "file-in-the-way":
      return new PathConflictError(
        `run file '${path}' cannot be stored: '${at ?? path}' is already a file of this run, and a ` +
          "file cannot also be a folder; upload it under another path, or name the folder differently",
      );
    case "folder-in-the-way":
      return new PathConflictError(
        `run file '${path}' cannot be stored: '${path}' is already a folder of this run's files ` +
          `(it holds files such as '${path}/…'); upload it under another name`,
      );
    case "name-too-long":
      return new InvalidDataError(
        at === null
          ? `run file '${shortened(path)}' cannot be stored: the run's entity, project or id makes its ` +
              "path longer than the server's file system allows; use shorter names"
          : `run file '${shortened(path)}' cannot be stored: a name in it is longer than 255 bytes, ` +
              "or the whole path longer than about 4,000 bytes (the file system's limits); shorten it",
      );
  }
}

/** Long paths are cut in messages, so that the reply stays readable. */
function shortened(path: string): string {
  return path.length > 120 ? `${path.slice(0, 120)}…` : path;
}
