/**
 * A version's manifest (its entries: stored files and references) and the one canonical text
 * both sides hash into the version's digest. The SDK computes the digest before it uploads
 * anything; the server recomputes it from the manifest it receives, so a version's digest never
 * depends on which side made it. (Names: artifact-names.ts; committing: artifact-versions.ts.)
 *
 * A version is committed in two steps, so that nothing half-committed is ever visible:
 * 1. every stored entry's content is uploaded, content-addressed (by sha256, deduplicated
 *    against everything the server holds: run files and other artifacts alike);
 * 2. the manifest is committed in one request. The server refuses it while any entry's content
 *    is missing, and answers the collection's latest version unchanged when the digest equals
 *    that version's (re-logging unchanged content creates nothing).
 */
import { z } from "zod";
import { ARTIFACT_LIMITS } from "./artifact-names.js";
import { referenceEntrySchema, storedEntrySchema } from "./artifact-schema-parts.js";
import { SHA256_HEX } from "./files.js";
import { compareCodePoints } from "./code-point-order.js";

export const manifestEntrySchema = z.union([storedEntrySchema, referenceEntrySchema]);
export type StoredManifestEntry = z.infer<typeof storedEntrySchema>;
export type ReferenceManifestEntry = z.infer<typeof referenceEntrySchema>;
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export function isReferenceEntry(entry: ManifestEntry): entry is ReferenceManifestEntry {
  return "ref" in entry;
}

/** A version's manifest: its entries, each path once. */
export const artifactManifestSchema = z
  .object({
    version: z.literal(1),
    entries: z.array(manifestEntrySchema).max(ARTIFACT_LIMITS.artifactEntries),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    for (const entry of manifest.entries) {
      if (seen.has(entry.path)) {
        ctx.addIssue({ code: "custom", message: `the path '${entry.path}' is in the manifest twice` });
        return;
      }
      seen.add(entry.path);
    }
  });
export type ArtifactManifest = z.infer<typeof artifactManifestSchema>;

/**
 * The canonical text of a manifest, whose sha256 (hex) is the version's digest: a header line,
 * then one line per entry in code-point order of path — `path TAB s TAB sha256 TAB size` for a
 * stored entry, `path TAB r TAB digest TAB size-or-empty TAB uri` for a reference. Paths and
 * URIs hold no control character (the schemas refuse them), so TAB and LF cannot be forged.
 * The digest depends on the content only: not on the order entries were added, not on
 * descriptions, metadata, aliases or the run that logged it.
 */
export function manifestDigestText(entries: readonly ManifestEntry[]): string {
  const sorted = [...entries].sort((a, b) => compareCodePoints(a.path, b.path));
  let text = "stepwise-artifact-manifest-v1\n";
  for (const entry of sorted) {
    text += isReferenceEntry(entry)
      ? `${entry.path}\tr\t${entry.digest}\t${entry.size ?? ""}\t${entry.ref}\n`
      : `${entry.path}\ts\t${entry.sha256}\t${entry.size}\n`;
  }
  return text;
}

/** An artifact version's digest is a sha256 in hex, like a blob's. */
export function isArtifactDigest(value: string): boolean {
  return SHA256_HEX.test(value);
}
