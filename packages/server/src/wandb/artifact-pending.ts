/**
 * Artifacts a W&B client is logging, between `createArtifact` and `commitArtifact`. W&B builds a
 * version in steps (create, upload each file and the manifest, commit); Stepwise's store commits a
 * version whole (store/artifact-store.ts). So the steps are kept here, in the server's memory,
 * and the version is committed to the store in one piece at `commitArtifact`. A server restarted
 * in between forgets them: the client's commit then fails with a message and the script can log
 * the artifact again (docs/wandb.md). Entries left uncommitted for a day are dropped.
 *
 * Also kept: the MD5 of each blob the server has hashed (W&B names files by MD5, Stepwise by
 * SHA-256), so a file uploaded once, or hashed once for a manifest, is not read again.
 */
import { randomBytes } from "node:crypto";
import type { RunRef } from "@stepwise/protocol";
import type { VersionRef } from "../store/artifact-store.js";

/** A file the client uploaded for a pending artifact: the blob it became. */
export interface UploadedFile {
  sha256: string;
  size: number;
  md5: string;
}

export interface PendingArtifact {
  id: string;
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
  createdAt: number;
  /** Uploaded files by artifact path. */
  files: Map<string, UploadedFile>;
  /** The manifest JSON the client uploaded (`wandb_manifest.json`), once it has. */
  manifest: unknown;
  /** Set by `commitArtifact`: the version it became. */
  committed: VersionRef | null;
}

/** How long a pending artifact is kept (seconds). */
const PENDING_TTL_S = 24 * 3600;
/** At most this many blob MD5s are remembered (oldest forgotten first). */
const MD5_CACHE_MAX = 200_000;

export type PendingInput = Omit<PendingArtifact, "id" | "files" | "manifest" | "committed">;

export class PendingArtifacts {
  private readonly pending = new Map<string, PendingArtifact>();
  private readonly md5s = new Map<string, string>();
  private readonly blobs = new Map<string, string>();

  create(input: PendingInput): PendingArtifact {
    this.expire(input.createdAt);
    const id = `P${randomBytes(12).toString("hex")}`;
    const artifact: PendingArtifact = { ...input, id, files: new Map(), manifest: null, committed: null };
    this.pending.set(id, artifact);
    return artifact;
  }

  get(id: string): PendingArtifact | null {
    return this.pending.get(id) ?? null;
  }

  /** The base64 MD5 of a blob, when this server has hashed it. */
  md5Of(sha256: string): string | undefined {
    return this.md5s.get(sha256);
  }

  rememberMd5(sha256: string, md5: string): void {
    if (this.md5s.size >= MD5_CACHE_MAX) {
      const oldest = this.md5s.keys().next();
      if (oldest.done !== true) {
        this.blobs.delete(this.md5s.get(oldest.value) ?? "");
        this.md5s.delete(oldest.value);
      }
    }
    this.md5s.set(sha256, md5);
    this.blobs.set(md5, sha256);
  }

  /** The blob an MD5 names among blobs hashed here (for files W&B says it need not upload). */
  blobByMd5(md5: string): string | undefined {
    return this.blobs.get(md5);
  }

  private expire(now: number): void {
    for (const [id, artifact] of this.pending)
      if (artifact.createdAt < now - PENDING_TTL_S) this.pending.delete(id);
  }
}
