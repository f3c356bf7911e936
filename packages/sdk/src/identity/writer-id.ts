/**
 * Writer ids (protocol ingest.ts `writer`): each `init()` makes one and keeps it in the run
 * record, so the uploader, a later `stepwise sync` of the same directory, and nothing else, can
 * write the run. A log written before writer ids gets one derived from its run record: the same
 * directory always derives the same id, another process (other pid, host or start time) another.
 */
import { createHash, randomBytes } from "node:crypto";
import type { IngestWriter, RunStartRecord, StreamOffsets } from "@stepwise/protocol";

export function newWriterId(): string {
  return randomBytes(16).toString("base64url");
}

export function writerIdOf(record: RunStartRecord): string {
  if (record.writer !== undefined) return record.writer;
  const identity = [record.entity, record.project, record.id, record.host, record.pid, record.startTime].join(
    "\u0000",
  );
  return createHash("sha256").update(identity).digest("base64url").slice(0, 22);
}

/**
 * The claim a directory's batches carry. A resumed run (or `stepwise sync --resume`) continues
 * the stored run from `base`, the server's counts when it was looked up: it claims the run.
 */
export function writerClaim(
  record: RunStartRecord,
  base: StreamOffsets,
  claimsResume: boolean,
): IngestWriter {
  const id = writerIdOf(record);
  return record.resumed || claimsResume ? { id, resumeFrom: { ...base } } : { id };
}
