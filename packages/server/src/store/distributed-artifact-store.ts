/**
 * Distributed artifacts (`ArtifactStore.distributed`): several writers (runs, processes) add
 * entries to one pending version of a collection, keyed by (collection, `distributedId`), and
 * one `finish` commits it as a single version whose manifest is the union. Rules every backend
 * keeps (the contract topic "distributed artifacts" checks them):
 * - a path added twice must carry the same content; the first difference is kept as the pending
 *   version's conflict, refuses that upsert and every later finish (ARTIFACT_CONFLICT naming the
 *   path), so nothing built from a guess is ever committed;
 * - a pending version is never listed, resolved or downloadable: `finish` writes the version in
 *   one transaction, exactly as `commitVersion` does (digest from the union; the same digest as
 *   the collection's latest answers that version `unchanged`);
 * - `finish` again (a retry, a second finisher) answers the version the first committed,
 *   `unchanged`, and never makes another; an upsert after it answers that version when every
 *   entry is already in it, else ARTIFACT_CONFLICT naming the version;
 * - pending entries keep their blobs from garbage collection until the finish;
 * - every run whose upsert was accepted is a writer; a version the finish creates lists them as
 *   producers beside the finishing run (`producers`, and each run's produced versions), each once;
 *   a version answered `unchanged` keeps its producers; a discarded pending version records none.
 */
import type { ArtifactVersionDto, ManifestEntry, RunRef } from "@stepwise/protocol";
import type { CommitVersionResult } from "./artifact-store.js";

export interface PendingKey {
  entity: string;
  project: string;
  name: string;
  distributedId: string;
}

export interface UpsertPendingInput extends PendingKey {
  type: string;
  /** Unique paths, valid names (checked by the caller). */
  entries: readonly ManifestEntry[];
  /** Placed on the version at finish, with the finish's own (never `latest`). */
  aliases: readonly string[];
  tags: readonly string[];
  /**
   * The run that sent the entries: recorded once per pending version (a refused upsert records
   * nothing) and, when the finish creates the version, one of its producers.
   */
  writer: RunRef | null;
  /** Unix seconds. */
  now: number;
  /** Called inside the write lock before anything is written (check that the entries' blobs exist). */
  whileLocked?: () => void;
}

export interface UpsertPendingResult {
  /** `committed`: finish committed this version already and it holds every entry sent. */
  status: "pending" | "committed";
  /** Entries the pending version holds now, every writer's (the version's, once committed). */
  fileCount: number;
  version: ArtifactVersionDto | null;
}

export interface FinishPendingInput extends PendingKey {
  type: string;
  description: string;
  metadata: Record<string, unknown>;
  aliases: readonly string[];
  tags: readonly string[];
  /** The finishing call's TTL (CommitVersionInput.ttlS). */
  ttlS?: number | null | undefined;
  /** The finishing run, recorded as the version's producer (the writers are producers too). */
  producer: RunRef | null;
  now: number;
  /** Called inside the write lock with the union before the version is written (blobs present?). */
  whileLocked?: (entries: readonly ManifestEntry[]) => void;
}

export interface DistributedArtifactStore {
  /** Adds entries to the pending version of the key (created by the first upsert). */
  upsertPending(input: UpsertPendingInput): Promise<UpsertPendingResult>;
  /**
   * Commits the pending version: `created` (or `unchanged` when its digest is the latest's), or,
   * once committed, that version `unchanged`. NotFoundError when nothing was upserted under the
   * key; ArtifactConflictError when writers disagreed on a path.
   */
  finishPending(input: FinishPendingInput): Promise<CommitVersionResult>;
  /**
   * Forgets the key: a pending version's entries are dropped (blobs only they held are freed by
   * the next garbage collection), a finished one's version is kept as it is; either way the
   * distributedId can be used again. Answers which it was and how many entries it held (the
   * version's, once finished); NotFoundError when nothing was upserted under the key.
   */
  discardPending(key: PendingKey): Promise<{ state: "pending" | "finished"; fileCount: number }>;
}
