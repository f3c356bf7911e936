/**
 * Commits a logged artifact (its run-log record) to the server: the manifest is offered first,
 * and the server answers the version at once when it holds every entry's content (re-logging
 * unchanged content uploads nothing and answers the existing version); otherwise it names the
 * missing sha256s (409 CONTENT_MISSING), only those are uploaded (declared by sha256 and size,
 * resumable parts: files/file-upload.ts), and the manifest is offered again. Nothing is
 * committed until the server holds everything.
 */
import {
  artifactCommitResponseSchema,
  artifactPaths,
  ContentMissingError,
  UsageError,
  type ArtifactCommitRequest,
  type ArtifactCommitResponse,
  type ArtifactRecord,
  type RunRef,
} from "@stepwise/protocol";
import { ApiHttp, type Decoder } from "../api/api-http.js";
import { uploadBlob } from "../files/file-client.js";
import type { ServerTarget } from "../upload/server-target.js";

/** Blobs sent at once. */
const UPLOADS_IN_FLIGHT = 16;
/** Offers of the manifest before giving up (content can vanish between upload and commit only through GC). */
const COMMIT_ROUNDS = 3;

export interface CommitResult {
  response: ArtifactCommitResponse;
  /** Bytes uploaded by this commit (0 when the server held everything). */
  bytesSent: number;
  /** Entries' contents uploaded (not found on the server). */
  blobsSent: number;
}

export async function commitArtifactRecord(
  target: ServerTarget,
  run: RunRef | { entity: string; project: string; runId: null },
  record: Omit<ArtifactRecord, "t" | "id" | "time">,
  onProgress: (bytes: number) => void = () => undefined,
  signal?: AbortSignal,
): Promise<CommitResult> {
  const body: ArtifactCommitRequest = {
    type: record.type,
    description: record.description,
    metadata: record.metadata,
    aliases: record.aliases,
    tags: record.tags,
    ...(record.ttlS === undefined ? {} : { ttlS: record.ttlS }),
    run: run.runId === null ? null : { entity: run.entity, project: run.project, runId: run.runId },
    manifest: { version: 1, entries: record.entries },
    digest: record.digest,
  };
  const url = artifactPaths.versions(run.entity, run.project, record.name);
  return offerUntilHeld(
    target,
    run,
    record,
    { url, schema: artifactCommitResponseSchema, body },
    onProgress,
    signal,
  );
}

/**
 * POSTs `request.body` to `request.url`; while the server answers CONTENT_MISSING, uploads the
 * content it names (from `record.sources`) and offers it again (a whole commit, a distributed
 * upsert). Resolves with the server's answer and what was uploaded.
 */
export async function offerUntilHeld<T>(
  target: ServerTarget,
  run: { entity: string; project: string },
  record: Omit<ArtifactRecord, "t" | "id" | "time">,
  request: { url: string; schema: Decoder<T>; body: unknown },
  onProgress: (bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<{ response: T; bytesSent: number; blobsSent: number }> {
  const http = new ApiHttp(target, 120_000);
  let bytesSent = 0;
  let blobsSent = 0;
  for (let round = 1; ; round++) {
    try {
      const response = await http.json("POST", request.url, request.schema, { body: request.body });
      return { response, bytesSent, blobsSent };
    } catch (error) {
      if (!(error instanceof ContentMissingError) || round >= COMMIT_ROUNDS) throw error;
      const missing = [...error.details.missing];
      const sent = await uploadMissing(target, run, record, missing, onProgress, signal);
      bytesSent += sent;
      blobsSent += missing.length;
    }
  }
}

async function uploadMissing(
  target: ServerTarget,
  run: { entity: string; project: string },
  record: Omit<ArtifactRecord, "t" | "id" | "time">,
  missing: string[],
  onProgress: (bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<number> {
  const sizes = new Map<string, { path: string; size: number }>();
  for (const entry of record.entries)
    if ("sha256" in entry) sizes.set(entry.sha256, { path: entry.path, size: entry.size });
  let total = 0;
  const queue = [...missing];
  const worker = async (): Promise<void> => {
    for (let sha256 = queue.shift(); sha256 !== undefined; sha256 = queue.shift()) {
      const local = record.sources[sha256];
      const entry = sizes.get(sha256);
      if (local === undefined || entry === undefined)
        throw new UsageError(
          `artifact ${record.name}: the server lacks content ${sha256} that this artifact does not hold; log it again`,
        );
      let reported = 0;
      const result = await uploadBlob(
        target,
        run,
        {
          path: `${record.name}/${entry.path}`,
          source: { kind: "local", path: local },
          size: entry.size,
          sha256,
        },
        {
          ...(signal === undefined ? {} : { signal }),
          onProgress: (sent) => {
            onProgress(sent - reported);
            reported = sent;
          },
        },
      );
      total += result.bytesSent;
    }
  };
  await Promise.all(Array.from({ length: Math.min(UPLOADS_IN_FLIGHT, missing.length) }, worker));
  return total;
}
