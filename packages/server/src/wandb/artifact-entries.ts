/**
 * A version's entries as W&B's clients need them: all of them in path order (read page by page
 * from the store) and the `contents` of W&B's manifest JSON, each stored file named by its MD5.
 */
import { isReferenceEntry, type ManifestEntry } from "@stepwise/protocol";
import type { VersionRef } from "../store/artifact-store.js";
import { blobMd5, type ArtifactReads } from "./wandb-md5.js";

/** Manifest entries read per store call. */
export const MANIFEST_PAGE = 10_000;

/** Every entry of a version, in path order. */
export async function allEntries(ctx: ArtifactReads, ref: VersionRef): Promise<ManifestEntry[]> {
  const entries: ManifestEntry[] = [];
  for (let after: string | null = null; ;) {
    const page: ManifestEntry[] =
      (await ctx.deps.store.artifacts.readManifest(ref, after, MANIFEST_PAGE)) ?? [];
    entries.push(...page);
    if (page.length < MANIFEST_PAGE) return entries;
    after = page[page.length - 1]?.path ?? null;
  }
}

/** The `contents` of W&B's manifest JSON for a version: path → {digest (MD5), size, ref?}. */
export async function manifestContents(
  ctx: ArtifactReads,
  ref: VersionRef,
  birthArtifactID: string,
): Promise<Record<string, Record<string, unknown>>> {
  const contents: Record<string, Record<string, unknown>> = {};
  const entries = await allEntries(ctx, ref);
  // The MD5s known, in one read; a blob no server hashed yet is read once here.
  const known = await ctx.artifacts.md5sOf(entries.flatMap((e) => (isReferenceEntry(e) ? [] : [e.sha256])));
  for (const entry of entries) {
    contents[entry.path] = isReferenceEntry(entry)
      ? { ref: entry.ref, digest: entry.digest, ...(entry.size === null ? {} : { size: entry.size }) }
      : {
          digest: known.get(entry.sha256) ?? (await blobMd5(ctx, entry.sha256)),
          size: entry.size,
          birthArtifactID,
        };
  }
  return contents;
}
