/**
 * Downloading and verifying an artifact's references (`file://`, `http(s)://`, `s3://`; other
 * schemes are recorded only and skipped). A reference whose content is known — a `file://`
 * sha256, an http `sha256:` digest, or an ETag whose download the cache noted
 * (ArtifactCache.referenceContent) — is placed from the cache, or left alone in `root`, with no
 * request. Otherwise its bytes are fetched (GET, S3 GetObject with the logged version, a file
 * read), checked against the logged ETag before a byte is kept and against the size and sha256
 * while they stream, into the cache first and then copied into `root`: a reference that
 * changed since it was logged is a CorruptDataError naming it, and nothing is written for it.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import type { ReferenceManifestEntry } from "@stepwise/protocol";
import type { ArtifactCache } from "../artifact-cache.js";
import { inParallel, placeCopy, sameSize, sha256Of } from "../local-copies.js";
import { openHttpReference, SHA256_DIGEST_PREFIX } from "./http-reference.js";
import {
  changedReference,
  referenceRefused,
  referenceUnreachable,
  type ReferenceLabel,
} from "./reference-errors.js";
import { LazyS3 } from "./s3-client.js";
import { openS3Reference } from "./s3-reference.js";
import { FETCHED_SCHEMES } from "./seal-reference.js";

/** What a download did, counted into the artifact's DownloadReport. */
export interface ReferenceCounts {
  fromCache: number;
  fetched: number;
  present: number;
  bytesFetched: number;
}

/** The references of `entries` that a download fetches (schemes Stepwise can read). */
export function fetchedReferences(entries: readonly ReferenceManifestEntry[]): ReferenceManifestEntry[] {
  return entries.filter((entry) => FETCHED_SCHEMES.has(new URL(entry.ref).protocol));
}

/** Places every fetched reference of `entries` in `root` (`artifact`: `name:v3`, for messages). */
export async function downloadReferences(
  artifact: string,
  entries: readonly ReferenceManifestEntry[],
  root: string,
  cache: ArtifactCache,
  counts: ReferenceCounts,
): Promise<void> {
  const s3 = new LazyS3();
  try {
    await inParallel(fetchedReferences(entries), async (entry) => {
      const target = join(root, ...entry.path.split("/"));
      const known = knownContent(entry, cache);
      if (known !== null && cache.has(known.sha256, known.size)) {
        if (!(await holds(target, known))) await placeCopy(cache.objectPath(known.sha256), target);
        counts.fromCache++;
        return;
      }
      if (known !== null && (await holds(target, known))) {
        counts.present++;
        return;
      }
      const label = { artifact, path: entry.path, uri: entry.ref };
      const source = await openReference(label, entry, s3);
      const content = await intoCache(label, entry, source, cache);
      if (entry.digest !== entry.ref)
        cache.noteReferenceContent(entry.ref, entry.digest, entry.size, content);
      await placeCopy(cache.objectPath(content.sha256), target);
      counts.fetched++;
      counts.bytesFetched += content.size;
    });
  } finally {
    await s3.close();
  }
}

/**
 * What differs between `root` and the fetched references of `entries`: each must be there, with
 * its logged size, and with its content where that is known without a request.
 */
export async function referenceProblems(
  entries: readonly ReferenceManifestEntry[],
  root: string,
  cache: ArtifactCache,
): Promise<string[]> {
  const problems: string[] = [];
  await inParallel(fetchedReferences(entries), async (entry) => {
    const path = join(root, ...entry.path.split("/"));
    const known = knownContent(entry, cache);
    if (!(await sameSize(path, known?.size ?? entry.size)))
      problems.push(`'${entry.path}' (${entry.ref}) is missing or has another size`);
    else if (known !== null && (await sha256Of(path)) !== known.sha256)
      problems.push(`'${entry.path}' (${entry.ref}) has other content`);
  });
  return problems;
}

/** The sha256 and size a reference's logged content has, when known without a request. */
function knownContent(
  entry: ReferenceManifestEntry,
  cache: ArtifactCache,
): { sha256: string; size: number } | null {
  if (entry.digest === entry.ref) return null; // logged without a checksum
  const sha256 = knownSha256(entry);
  if (sha256 !== null && entry.size !== null) return { sha256, size: entry.size };
  return cache.referenceContent(entry.ref, entry.digest, entry.size);
}

/** The sha256 the entry itself records (a `file://` digest, an http `sha256:` digest). */
function knownSha256(entry: ReferenceManifestEntry): string | null {
  if (entry.digest === entry.ref) return null;
  if (entry.digest.startsWith(SHA256_DIGEST_PREFIX)) return entry.digest.slice(SHA256_DIGEST_PREFIX.length);
  return entry.ref.startsWith("file:") ? entry.digest : null;
}

async function holds(path: string, content: { sha256: string; size: number }): Promise<boolean> {
  return (await sameSize(path, content.size)) && (await sha256Of(path)) === content.sha256;
}

async function openReference(
  label: ReferenceLabel,
  entry: ReferenceManifestEntry,
  s3: LazyS3,
): Promise<Readable> {
  const scheme = new URL(entry.ref).protocol;
  if (scheme === "s3:") return openS3Reference(label, entry, await s3.get());
  if (scheme !== "file:") return openHttpReference(label, entry);
  const stream = createReadStream(fileURLToPath(entry.ref), { highWaterMark: 1 << 20 });
  await new Promise<void>((opened, failed) => {
    stream.once("open", () => opened());
    stream.once("error", (error: NodeJS.ErrnoException) =>
      failed(
        error.code === "ENOENT"
          ? referenceRefused(label, 404, "downloaded")
          : referenceUnreachable(label, error, "downloaded"),
      ),
    );
  });
  return stream;
}

/** Streams `source` into the cache, hashing it; keeps it only when its size and digest are the logged ones. */
async function intoCache(
  label: ReferenceLabel,
  entry: ReferenceManifestEntry,
  source: Readable,
  cache: ArtifactCache,
): Promise<{ sha256: string; size: number }> {
  const temp = cache.tempFor(createHash("sha256").update(entry.ref).digest("hex"));
  const hash = createHash("sha256");
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    try {
      await pipeline(source, measure, createWriteStream(temp));
    } catch (error) {
      throw referenceUnreachable(label, error, "downloaded");
    }
    const sha256 = hash.digest("hex");
    if (entry.size !== null && entry.digest !== entry.ref && size !== entry.size)
      throw changedReference(label, `${size} bytes`, `${entry.size} bytes`);
    const logged = knownSha256(entry);
    if (logged !== null && sha256 !== logged)
      throw changedReference(label, `sha256 ${sha256}`, `sha256 ${logged}`);
    cache.place(temp, sha256);
    return { sha256, size };
  } finally {
    await rm(temp, { force: true });
  }
}
