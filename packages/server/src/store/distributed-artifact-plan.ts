/**
 * The rules of distributed artifacts every backend applies (distributed-artifact-store.ts says
 * them): what an upsert adds or which conflict it records, whether an upsert after the finish
 * is already in the version, and the whole commit a finish makes of the pending version. The
 * stores read what these need inside their write transaction and write what they answer.
 */
import { createHash } from "node:crypto";
import { manifestDigestText, type ManifestEntry } from "@stepwise/protocol";
import { mergeValues } from "../domain/artifact-commit.js";
import {
  describeContent,
  finishedConflictError,
  sameContent,
  type PathConflict,
} from "../domain/distributed-artifact.js";
import type { CommitVersionInput } from "./artifact-store.js";
import type { FinishPendingInput } from "./distributed-artifact-store.js";

export type UpsertPlan =
  { kind: "add"; fresh: ManifestEntry[] } | { kind: "conflict"; conflict: PathConflict };

/**
 * `held`: the pending version's entries at the paths of `entries`. New paths are added; a path
 * held with other content is the conflict (kept by the store, refusing every later finish).
 */
export function planUpsert(
  held: ReadonlyMap<string, ManifestEntry>,
  entries: readonly ManifestEntry[],
): UpsertPlan {
  const fresh: ManifestEntry[] = [];
  for (const entry of entries) {
    const current = held.get(entry.path);
    if (current === undefined) fresh.push(entry);
    else if (!sameContent(current, entry))
      return {
        kind: "conflict",
        conflict: { path: entry.path, held: describeContent(current), offered: describeContent(entry) },
      };
  }
  return { kind: "add", fresh };
}

/**
 * An upsert after the finish is answered with the version only when the version holds every
 * entry as sent (`held`: the version's entries at those paths); else ArtifactConflictError.
 */
export function checkFinishedHolds(
  held: ReadonlyMap<string, ManifestEntry>,
  entries: readonly ManifestEntry[],
  where: { artifact: string; distributedId: string; version: string },
): void {
  for (const entry of entries) {
    const current = held.get(entry.path);
    if (current === undefined || !sameContent(current, entry))
      throw finishedConflictError(where.artifact, where.distributedId, where.version, entry.path);
  }
}

/**
 * The whole commit a finish makes: the union of every writer's entries (`entries`, in path
 * order), its digest, the aliases and tags asked by the upserts (`pending`) then the finish.
 * `aliases`: the finish's, already checked (userAliases).
 */
export function finishCommit(
  input: FinishPendingInput,
  pending: { aliases: readonly string[]; tags: readonly string[] },
  aliases: readonly string[],
  entries: readonly ManifestEntry[],
): CommitVersionInput {
  return {
    entity: input.entity,
    project: input.project,
    name: input.name,
    type: input.type,
    entries,
    digest: createHash("sha256").update(manifestDigestText(entries)).digest("hex"),
    description: input.description,
    metadata: input.metadata,
    aliases: mergeValues(pending.aliases, aliases),
    tags: mergeValues(pending.tags, input.tags),
    ttlS: input.ttlS,
    producer: input.producer,
    now: input.now,
    whileLocked: () => input.whileLocked?.(entries),
  };
}
