/**
 * Commits a distributed artifact's run-log record (`upsertArtifact` / `finishArtifact`): its
 * entries are offered to the pending version of its distributedId, and only the content the
 * server lacks is uploaded (as for a whole commit, artifact-commit.ts); a finish then asks the
 * server to commit the pending version, every writer's entries, as one version. Re-sending
 * either is harmless: an upsert of entries the committed version holds, and a finish again,
 * are answered with that version.
 */
import {
  artifactCommitResponseSchema,
  artifactPaths,
  artifactUpsertResponseSchema,
  type ArtifactFinishRequest,
  type ArtifactRecord,
  type ArtifactUpsertRequest,
  type ArtifactVersionDto,
  type RunRef,
} from "@stepwise/protocol";
import { ApiHttp } from "../api/api-http.js";
import type { ServerTarget } from "../upload/server-target.js";
import { offerUntilHeld } from "./artifact-commit.js";

export interface DistributedCommitResult {
  /** The committed version: a finish's, or an upsert's when finish had committed it already; null while pending. */
  version: ArtifactVersionDto | null;
  bytesSent: number;
}

export async function commitDistributedRecord(
  target: ServerTarget,
  run: RunRef,
  record: ArtifactRecord & { distributed: { id: string; op: "upsert" | "finish" } },
  onProgress: (bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<DistributedCommitResult> {
  const { id: distributedId, op } = record.distributed;
  const producer = { entity: run.entity, project: run.project, runId: run.runId };
  let bytesSent = 0;
  let version: ArtifactVersionDto | null = null;
  // A finish with no files of its own adds nothing: the other writers' upserts made the pending version.
  if (op === "upsert" || record.entries.length > 0) {
    const body: ArtifactUpsertRequest = {
      type: record.type,
      distributedId,
      entries: record.entries,
      aliases: record.aliases,
      tags: record.tags,
      run: producer,
    };
    const url = artifactPaths.distributed(run.entity, run.project, record.name);
    const offered = await offerUntilHeld(
      target,
      run,
      record,
      { url, schema: artifactUpsertResponseSchema, body },
      onProgress,
      signal,
    );
    bytesSent = offered.bytesSent;
    version = offered.response.version;
  }
  if (op === "upsert") return { version, bytesSent };
  const body: ArtifactFinishRequest = {
    type: record.type,
    description: record.description,
    metadata: record.metadata,
    aliases: record.aliases,
    tags: record.tags,
    ...(record.ttlS === undefined ? {} : { ttlS: record.ttlS }),
    run: producer,
    distributedId,
  };
  const finished = await new ApiHttp(target, 120_000).json(
    "POST",
    artifactPaths.distributedFinish(run.entity, run.project, record.name),
    artifactCommitResponseSchema,
    { body },
  );
  return { version: finished.version, bytesSent };
}
