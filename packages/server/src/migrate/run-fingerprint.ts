/**
 * What a copied run is recognised by: a hash of the source run's record (metadata, summary,
 * state, times, stream counts) and its file records. The same fingerprint in the target's
 * `move_runs` means the run is copied as it stands; any change in the source (a row logged, a
 * file replaced, a tag edited) makes the next `stepwise migrate` copy it again.
 */
import { createHash } from "node:crypto";
import { stringifyExtended } from "@stepwise/protocol";
import type { StoredFile, StoredRun } from "../store/store.js";

export function runFingerprint(run: StoredRun, files: readonly StoredFile[]): string {
  return createHash("sha256")
    .update(stringifyExtended(run))
    .update("\n")
    .update(stringifyExtended(files))
    .digest("hex");
}
