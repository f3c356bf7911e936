/**
 * The end of an upload session (upload-session.ts): once the server has the records, the run's
 * files and artifacts still queued are sent (end-policy files, live ones changed since), and only
 * then is the run marked synced. An artifact left pending (the server unreachable, a 5xx) or a
 * file given up keeps the run unsynced, so that `stepwise sync` offers them again; a cancel
 * (finish() gave up) leaves them for `stepwise sync` too.
 */
import type { ArtifactQueue } from "../artifacts/artifact-queue.js";
import type { FileQueue } from "./file-queue.js";
import type { UploadOutcome } from "./upload-session-options.js";
import { markSynced, type UploadState } from "./upload-state.js";

export interface SideQueues {
  files: FileQueue | undefined;
  artifacts: ArtifactQueue | undefined;
  logFile: string;
  /** The server the run is marked synced to (read once the queues are drained). */
  serverId: () => UploadState["serverId"];
  cancelled: () => boolean;
  warn: (cause: string, message: string) => void;
}

export async function settleSideQueues(outcome: UploadOutcome, side: SideQueues): Promise<UploadOutcome> {
  const sent = outcome.kind === "complete" || outcome.kind === "caught-up";
  if (side.files !== undefined && sent) {
    await side.files.drain();
    if (side.cancelled()) return { kind: "cancelled" };
  }
  if (side.artifacts !== undefined && sent) {
    await side.artifacts.drain();
    if (side.cancelled()) return { kind: "cancelled" };
  }
  const artifactsPending = (side.artifacts?.currentStats().pending ?? 0) > 0;
  const filesFailed = (side.files?.currentStats().failed ?? 0) > 0;
  if (outcome.kind === "complete" && !artifactsPending && !filesFailed) markRunSynced(side);
  return outcome;
}

function markRunSynced(side: SideQueues): void {
  try {
    markSynced(side.logFile, side.serverId());
  } catch (error) {
    side.warn(
      "synced-marker",
      `the server has the whole run, but ${side.logFile}.synced could not be written (${String(error)}); a later sync re-sends nothing new`,
    );
  }
}
