/**
 * Seals an artifact for logging: hashes every local file (streamed, never held whole) and
 * `file://` reference with a checksum, and computes the version digest from the manifest's
 * canonical text (protocol artifacts.ts), exactly as the server recomputes it.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { manifestDigestText, UsageError, type ManifestEntry } from "@stepwise/protocol";
import type { Artifact, PendingEntry } from "./artifact.js";

export interface SealedArtifact {
  entries: ManifestEntry[];
  digest: string;
  /** Entries whose bytes the server must hold: local files by sha256 → where to read them. */
  sources: Map<string, { localPath: string; size: number }>;
  /** What the user should know (a reference recorded by URI only). */
  warnings: string[];
}

/** Files hashed at once while sealing. */
const HASHES_IN_FLIGHT = 8;
/** Files up to this size are read whole (one read), larger ones streamed in 1 MiB pieces. */
const READ_WHOLE_BYTES = 4 * 1024 * 1024;

export async function sealArtifact(artifact: Artifact): Promise<SealedArtifact> {
  await artifact.flushNewFiles();
  return sealEntries(artifact.pendingEntries());
}

/** Hashes entries added to an artifact (in code-point order of path) into its sealed manifest. */
export async function sealEntries(pending: readonly PendingEntry[]): Promise<SealedArtifact> {
  const entries: ManifestEntry[] = new Array<ManifestEntry>(pending.length);
  const sources = new Map<string, { localPath: string; size: number }>();
  const warnings: string[] = [];
  // Several files at once: many small files cost opens and reads more than hashing.
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let at = next++; at < pending.length; at = next++) {
      const entry = pending[at] as PendingEntry;
      if (entry.kind === "file") {
        const { sha256, size } = await hashFile(entry.localPath, entry);
        entries[at] = { path: entry.path, sha256, size };
        sources.set(sha256, { localPath: entry.localPath, size });
      } else {
        entries[at] = await referenceEntry(entry, warnings);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASHES_IN_FLIGHT, pending.length) }, worker));
  const digest = createHash("sha256").update(manifestDigestText(entries)).digest("hex");
  return { entries, digest, sources, warnings };
}

async function referenceEntry(
  entry: Extract<PendingEntry, { kind: "reference" }>,
  warnings: string[],
): Promise<ManifestEntry> {
  const scheme = new URL(entry.uri).protocol;
  if (entry.checksum && scheme === "file:") {
    const { sha256, size } = await hashFile(fileURLToPath(entry.uri), entry);
    return { path: entry.path, ref: entry.uri, digest: sha256, size };
  }
  if (entry.checksum && !["http:", "https:", "s3:", "gs:"].includes(scheme))
    warnings.push(
      `artifact reference '${entry.uri}': the scheme ${scheme} is not known; recorded by its URI only`,
    );
  return { path: entry.path, ref: entry.uri, digest: entry.uri, size: null };
}

async function hashFile(localPath: string, entry: PendingEntry): Promise<{ sha256: string; size: number }> {
  let size: number;
  try {
    size = (await stat(localPath)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new UsageError(
      `artifact entry '${entry.path}': cannot read '${localPath}' (${code}); it was removed or moved after it was added`,
    );
  }
  const hash = createHash("sha256");
  let read = 0;
  if (size <= READ_WHOLE_BYTES) {
    const bytes = await readFile(localPath);
    hash.update(bytes);
    read = bytes.length;
  } else
    for await (const chunk of createReadStream(localPath, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      read += (chunk as Buffer).length;
    }
  if (read !== size)
    throw new UsageError(
      `artifact entry '${entry.path}': '${localPath}' changed while it was read (${size} → ${read} bytes); log the artifact once the file is complete`,
    );
  return { sha256: hash.digest("hex"), size };
}
