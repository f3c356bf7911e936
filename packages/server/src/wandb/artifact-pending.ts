/**
 * Artifacts a W&B client is logging, between `createArtifact` and `commitArtifact`. W&B builds a
 * version in steps (create, upload each file and the manifest, commit); Stepwise's store commits a
 * version whole (store/artifact-store.ts). So the steps are kept in the database
 * (`Store.wandb`, store/wandb-state-store.ts) and the version is committed to the store in one
 * piece at `commitArtifact`: any server of a fleet answers any step, and a server restarted in
 * between loses nothing. Entries left uncommitted for a day are dropped (the next `create` drops
 * them, in the database).
 *
 * Also kept there: the MD5 of each blob hashed (W&B names files by MD5, Stepwise by SHA-256), so a
 * file uploaded once, or hashed once for a manifest, is not read again by any server. This
 * process keeps the ones it has seen in memory too, as a cache only (an MD5 never changes).
 */
import { randomBytes } from "node:crypto";
import type { VersionRef } from "../store/artifact-store.js";
import type {
  WandbPendingArtifact,
  WandbPendingSpec,
  WandbStateStore,
  WandbUploadedFile,
} from "../store/wandb-state-store.js";

export type { WandbUploadedFile as UploadedFile } from "../store/wandb-state-store.js";
export type PendingArtifact = WandbPendingArtifact;
export type PendingInput = WandbPendingSpec & { createdAt: number };

/** How long a pending artifact is kept (seconds). */
export const PENDING_TTL_S = 24 * 3600;
/** At most this many blob MD5s are cached in this process (oldest forgotten first). */
const MD5_CACHE_MAX = 200_000;

export class PendingArtifacts {
  private readonly md5s = new Map<string, string>();

  constructor(private readonly state: WandbStateStore) {}

  async create(input: PendingInput): Promise<PendingArtifact> {
    const id = `P${randomBytes(12).toString("hex")}`;
    const artifact: PendingArtifact = { ...input, id, manifest: null, committed: null };
    await this.state.createPending(artifact, input.createdAt - PENDING_TTL_S);
    return artifact;
  }

  get(id: string): Promise<PendingArtifact | null> {
    return this.state.getPending(id);
  }

  /** Records an uploaded file; false when the artifact is not pending (dropped). */
  addFile(id: string, path: string, file: WandbUploadedFile): Promise<boolean> {
    return this.state.putPendingFile(id, path, file);
  }

  files(id: string): Promise<Map<string, WandbUploadedFile>> {
    return this.state.pendingFiles(id);
  }

  /** Keeps the manifest JSON (as JSON text); false when the artifact is not pending. */
  setManifest(id: string, manifest: unknown): Promise<boolean> {
    return this.state.setPendingManifest(id, JSON.stringify(manifest));
  }

  committed(id: string, version: VersionRef): Promise<void> {
    return this.state.setPendingCommitted(id, version);
  }

  /** The base64 MD5 of a blob, when a server has hashed it. */
  async md5Of(sha256: string): Promise<string | undefined> {
    return (await this.md5sOf([sha256])).get(sha256);
  }

  /** The base64 MD5s known of these blobs, by SHA-256 (one database read for those not cached). */
  async md5sOf(sha256s: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: string[] = [];
    for (const sha256 of sha256s) {
      const md5 = this.md5s.get(sha256);
      if (md5 === undefined) missing.push(sha256);
      else found.set(sha256, md5);
    }
    if (missing.length > 0)
      for (const [sha256, md5] of await this.state.md5sOf(missing)) {
        found.set(sha256, md5);
        this.cache(sha256, md5);
      }
    return found;
  }

  async rememberMd5(sha256: string, md5: string): Promise<void> {
    if (this.md5s.get(sha256) === md5) return;
    await this.state.rememberMd5(sha256, md5);
    this.cache(sha256, md5);
  }

  /** A blob whose MD5 is `md5`, among blobs any server hashed (for files W&B need not upload). */
  async blobByMd5(md5: string): Promise<string | undefined> {
    return (await this.state.blobByMd5(md5)) ?? undefined;
  }

  private cache(sha256: string, md5: string): void {
    if (this.md5s.size >= MD5_CACHE_MAX) {
      const oldest = this.md5s.keys().next();
      if (oldest.done !== true) this.md5s.delete(oldest.value);
    }
    this.md5s.set(sha256, md5);
  }
}
