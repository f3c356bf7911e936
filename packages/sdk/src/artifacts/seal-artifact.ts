/**
 * Seals an artifact for logging: hashes every local file (streamed, never held whole), records
 * each reference with its digest (references/seal-reference.ts: a `file://` sha256, an
 * http(s) or S3 ETag; an S3 folder becomes one entry per object), and computes the version
 * digest from the manifest's canonical text (protocol artifacts.ts), exactly as the server
 * recomputes it.
 */
import { createHash } from "node:crypto";
import { compareCodePoints, manifestDigestText, UsageError, type ManifestEntry } from "@stepwise/protocol";
import type { Artifact, PendingEntry } from "./artifact.js";
import { hashFile } from "./hash-file.js";
import { ReferenceSealer } from "./references/seal-reference.js";

export interface SealedArtifact {
  entries: ManifestEntry[];
  digest: string;
  /** Entries whose bytes the server must hold: local files by sha256 → where to read them. */
  sources: Map<string, { localPath: string; size: number }>;
  /** What the user should know (a reference recorded by URI only). */
  warnings: string[];
}

/** Files hashed (or references asked about) at once while sealing. */
const HASHES_IN_FLIGHT = 8;

export async function sealArtifact(artifact: Artifact): Promise<SealedArtifact> {
  await artifact.flushNewFiles();
  return sealEntries(artifact.pendingEntries(), artifact.name);
}

/**
 * Hashes entries added to an artifact (in code-point order of path) into its sealed manifest.
 * `artifact`: its name, for messages.
 */
export async function sealEntries(
  pending: readonly PendingEntry[],
  artifact = "(unnamed)",
): Promise<SealedArtifact> {
  const parts: ManifestEntry[][] = new Array<ManifestEntry[]>(pending.length);
  const sources = new Map<string, { localPath: string; size: number }>();
  const warnings: string[] = [];
  const references = new ReferenceSealer(artifact);
  // Several files at once: many small files cost opens and reads more than hashing.
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let at = next++; at < pending.length; at = next++) {
      const entry = pending[at] as PendingEntry;
      if (entry.kind === "file") {
        const { sha256, size } = await hashFile(entry.localPath, entry);
        parts[at] = [{ path: entry.path, sha256, size }];
        sources.set(sha256, { localPath: entry.localPath, size });
      } else parts[at] = await references.entries(entry, warnings);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(HASHES_IN_FLIGHT, pending.length) }, worker));
  } finally {
    await references.close();
  }
  const entries = parts.flat().sort((a, b) => compareCodePoints(a.path, b.path));
  for (let i = 1; i < entries.length; i++)
    if (entries[i]?.path === entries[i - 1]?.path)
      throw new UsageError(
        `artifact ${artifact}: two entries are named '${entries[i]?.path ?? ""}' (a folder reference's object and another entry); give one of them another { name }`,
      );
  const digest = createHash("sha256").update(manifestDigestText(entries)).digest("hex");
  return { entries, digest, sources, warnings };
}
