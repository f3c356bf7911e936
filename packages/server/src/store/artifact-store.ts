/**
 * The artifacts' part of the storage contract (`Store.artifacts`): collections of versions per
 * project, each version a manifest committed whole (never half visible), aliases that move
 * atomically within a collection, and the lineage of which run produced and which runs used
 * each version. The bytes of stored entries live in the BlobStore, content-addressed like run
 * files; `Store.files.isReferenced` counts live versions' manifest entries too, so garbage
 * collection keeps them (and frees those only deleted versions held).
 */
import type {
  ArtifactCollectionDto as ProtocolCollectionDto,
  ArtifactStorage,
  ArtifactVersionDto,
  ManifestEntry,
  RunRef,
} from "@stepwise/protocol";
import type { DistributedArtifactStore } from "./distributed-artifact-store.js";

export interface CommitVersionInput {
  entity: string;
  project: string;
  name: string;
  type: string;
  /** Checked by the caller: unique paths, valid names (protocol artifact-names.ts, artifact-manifest.ts). */
  entries: readonly ManifestEntry[];
  /** sha256 of `manifestDigestText(entries)`, recomputed by the caller. */
  digest: string;
  description: string;
  metadata: Record<string, unknown>;
  /** User aliases to place on the version (never `latest`, never a version name). */
  aliases: readonly string[];
  tags: readonly string[];
  /** Seconds from `now` the version lives (null: kept); undefined: none, an unchanged one's kept. */
  ttlS?: number | null | undefined;
  producer: RunRef | null;
  /** Unix seconds. */
  now: number;
  /**
   * Called inside the commit's write lock, before anything is written: the place to check that
   * every stored entry's blob exists (throwing refuses the commit), since garbage collection
   * takes the same lock to free a blob no manifest holds.
   */
  whileLocked?: () => void;
}

export interface CommitVersionResult {
  /** `unchanged`: the digest equals the collection's latest version, which is answered (with the new aliases placed). */
  status: "created" | "unchanged";
  version: ArtifactVersionDto;
}

/** A collection as listed (the wire type, protocol artifact-lists.ts). */
export type ArtifactCollectionDto = ProtocolCollectionDto;

/** Storage a project's artifacts use (the wire type, protocol artifact-storage.ts). */
export type ArtifactStorageDto = ArtifactStorage;

export interface VersionRef {
  entity: string;
  project: string;
  name: string;
  /** A version name (`v3`) or an alias (`latest`, `production`). */
  alias: string;
}

export interface ArtifactStore {
  /**
   * Versions built by several writers (`upsertArtifact` / `finishArtifact`;
   * distributed-artifact-store.ts); absent where a backend has none yet (the routes say so).
   */
  readonly distributed?: DistributedArtifactStore;
  /**
   * Commits a version in one transaction: a new `vN` (N one past the collection's highest) with
   * `latest` and the given aliases moved onto it, or the latest version unchanged when its
   * digest is the same. Refuses (UsageError) a collection that exists with another type.
   */
  commitVersion(input: CommitVersionInput): Promise<CommitVersionResult>;
  /** The version a version name or alias names now, or null. */
  resolveVersion(ref: VersionRef): Promise<ArtifactVersionDto | null>;
  /** A version's entries in code-point order of path, `limit` at most after `afterPath`. */
  readManifest(ref: VersionRef, afterPath: string | null, limit: number): Promise<ManifestEntry[] | null>;
  listCollections(entity: string, project: string, type?: string): Promise<ArtifactCollectionDto[]>;
  /** A collection's versions, newest first. */
  listVersions(entity: string, project: string, name: string): Promise<ArtifactVersionDto[]>;
  /**
   * Sets a version's user aliases to exactly `aliases` in one transaction: each is taken from
   * whichever version of the collection held it. `latest` cannot be set or removed by hand.
   */
  setAliases(ref: VersionRef, aliases: readonly string[], now: number): Promise<ArtifactVersionDto>;
  /** Sets a version's tags to exactly `tags` (unique, in the order given). NotFoundError when not live. */
  setTags(ref: VersionRef, tags: readonly string[]): Promise<ArtifactVersionDto>;
  /** Sets (null: clears) a version's time to live, in seconds from its creation. NotFoundError when not live. */
  setTtl(ref: VersionRef, ttlS: number | null): Promise<ArtifactVersionDto>;
  /**
   * The collections holding a live version whose TTL has run out at `now` (created_at + ttl_s ≤
   * now), each once: what a retention pass applies TTLs to.
   */
  collectionsWithExpired(now: number): Promise<{ entity: string; project: string; name: string }[]>;
  /** Records that `run` used the version (once per run and version). */
  recordUse(run: RunRef, ref: VersionRef, now: number): Promise<ArtifactVersionDto>;
  /** What a run produced and used. */
  runLineage(run: RunRef): Promise<{ produced: ArtifactVersionDto[]; used: ArtifactVersionDto[] }>;
  /** The runs that used a version, in the order they first used it. */
  consumers(ref: VersionRef): Promise<RunRef[]>;
  /**
   * Soft-deletes a version (answered as it was): it is no longer listed or resolved, its aliases
   * are removed, `latest` moves to the newest remaining version, and its manifest no longer keeps
   * blobs from garbage collection. Its name is never reused. NotFoundError when not live.
   */
  deleteVersion(ref: VersionRef, now: number): Promise<ArtifactVersionDto>;
  /**
   * Soft-deletes a collection and every version in it; answers how many versions were deleted.
   * Committing to the name again starts the collection anew (numbering continues past the old).
   */
  deleteCollection(entity: string, project: string, name: string, now: number): Promise<number>;
  /**
   * The bytes deleting these versions (names, `v3`) of a collection would free: distinct blobs
   * they hold that no other live version and no run file references (shared ones count once).
   */
  bytesFreedBy(entity: string, project: string, name: string, versions: readonly string[]): Promise<number>;
  /** Storage used by the project's live versions, per collection and in all. */
  storageUsed(entity: string, project: string): Promise<ArtifactStorageDto>;
}
