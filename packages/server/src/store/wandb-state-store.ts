/**
 * The W&B-compatible endpoints' state between requests (`Store.wandb`), kept in the database so
 * that any server of a fleet answers any W&B request and a server restarted between two of a
 * client's steps loses nothing (docs/deploy.md, "Several servers"):
 * - an artifact being logged, between `createArtifact` and `commitArtifact` (W&B builds a
 *   version in steps; wandb/artifact-pending.ts): what `createArtifact` asked for, each file the
 *   client uploaded (the blob it became and its MD5), the manifest JSON, and once committed the
 *   version it became. Entries created before the `dropBefore` a new one passes are dropped with
 *   their files (the caller's rule: a day);
 * - the MD5 of each blob hashed (W&B names files by MD5, Stepwise by SHA-256): a fact about the
 *   content, never changed once written;
 * - a resumed client's console offset until its first console request (wandb/console-resume.ts):
 *   the first request's offset decides, once, whether the run's later offsets are moved up.
 * The contract topic "wandb state" checks every backend alike.
 */
import type { RunRef } from "@stepwise/protocol";
import type { VersionRef } from "./artifact-store.js";

/** A file the client uploaded for a pending artifact: the blob it became. */
export interface WandbUploadedFile {
  sha256: string;
  size: number;
  md5: string;
}

/** What `createArtifact` asked for (kept as JSON). */
export interface WandbPendingSpec {
  entity: string;
  project: string;
  name: string;
  type: string;
  /** W&B's manifest digest (hex MD5 over `path:md5` lines), as the client computed it. */
  digest: string;
  description: string;
  metadata: Record<string, unknown>;
  aliases: string[];
  run: RunRef | null;
}

export interface WandbPendingArtifact extends WandbPendingSpec {
  id: string;
  /** Unix seconds. */
  createdAt: number;
  /** The manifest JSON the client uploaded (`wandb_manifest.json`) as text, once it has. */
  manifest: string | null;
  /** Set by `commitArtifact`: the version it became. */
  committed: VersionRef | null;
}

export interface WandbStateStore {
  /** Records a new pending artifact; drops every one created before `dropBefore`, with its files. */
  createPending(artifact: WandbPendingArtifact, dropBefore: number): Promise<void>;
  /** The pending artifact (without its files), or null when unknown or dropped. */
  getPending(id: string): Promise<WandbPendingArtifact | null>;
  /** Records (or replaces) an uploaded file at `path`; false when the pending artifact is unknown. */
  putPendingFile(id: string, path: string, file: WandbUploadedFile): Promise<boolean>;
  /** The files uploaded so far, by path. */
  pendingFiles(id: string): Promise<Map<string, WandbUploadedFile>>;
  /** Keeps the manifest JSON text; false when the pending artifact is unknown. */
  setPendingManifest(id: string, manifest: string): Promise<boolean>;
  setPendingCommitted(id: string, committed: VersionRef): Promise<void>;

  /** Remembers the base64 MD5 of a blob (a second call for the same blob changes nothing). */
  rememberMd5(sha256: string, md5: string): Promise<void>;
  /** The MD5 of each blob given that one was remembered for, by SHA-256. */
  md5sOf(sha256s: readonly string[]): Promise<Map<string, string>>;
  /** A blob whose MD5 is `md5`, when one was remembered. */
  blobByMd5(md5: string): Promise<string | null>;

  /**
   * A client is resuming `ref`, whose console holds `lines` lines (0: nothing to move, forgets
   * the run); drops the runs whose resume was recorded before `dropBefore`.
   */
  consoleResuming(ref: RunRef, lines: number, now: number, dropBefore: number): Promise<void>;
  /**
   * Where the console lines sent at `offset` go: the first request after `consoleResuming`
   * decides, atomically across servers, whether offsets below the count are moved up by it
   * (`offset < lines`) or kept (then the run is forgotten); later requests follow that decision.
   */
  consoleOffset(ref: RunRef, offset: number): Promise<number>;
  /** The run's process has ended: its offsets need no moving any more. */
  consoleEnded(ref: RunRef): Promise<void>;
}
