/**
 * `artifact.download({ root })` and `artifact.verify({ root })`. The manifest (one request per
 * 100,000 entries, each stored entry with a signed URL) is asked for only when some entry is
 * neither in the local cache (artifact-cache.ts) nor already in `root` with its content: a
 * version whose files are all cached is placed with no network request at all. Files are
 * fetched 16 at a time, each hashed as it streams and kept only when its size and sha256 are the
 * manifest's (CorruptDataError naming the entry otherwise), into the cache first, then copied
 * (a copy-on-write clone where the file system can) into `root`. References (`file://`,
 * `http(s)://`, `s3://`) are fetched from where they point and checked against what was logged
 * (references/reference-download.ts); they need no Stepwise server.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  CorruptDataError,
  isReferenceEntry,
  manifestPageSchema,
  artifactPaths,
  type ArtifactVersionDto,
  type ManifestEntry,
  type ManifestPage,
  type ReferenceManifestEntry,
  type StoredManifestEntry,
} from "@stepwise/protocol";
import { ApiHttp } from "../api/api-http.js";
import type { ApiConnection } from "../api/api-connection.js";
import { ArtifactCache } from "./artifact-cache.js";
import { cacheMaxBytes, cleanupArtifactCache } from "./artifact-cache-cleanup.js";
import { inParallel, placeCopy, sameSize, sha256Of } from "./local-copies.js";
import { downloadReferences, referenceProblems } from "./references/reference-download.js";

export interface DownloadReport {
  root: string;
  /** Entries copied from the cache, fetched from the server, or found in `root` already. */
  fromCache: number;
  fetched: number;
  present: number;
  bytesFetched: number;
}

/** The pages of a version's manifest, stored entries with their download URLs. */
export async function fetchManifest(
  connection: ApiConnection,
  version: ArtifactVersionDto,
): Promise<{ version: ArtifactVersionDto; entries: Array<ManifestEntry & { url?: string }> }> {
  const http = new ApiHttp(connection);
  const entries: Array<ManifestEntry & { url?: string }> = [];
  let after: string | null = null;
  for (;;) {
    const path = artifactPaths.manifest(version.entity, version.project, version.name, version.version);
    const page: ManifestPage = await http.json("GET", path, manifestPageSchema, {
      query: { limit: 100_000, ...(after === null ? {} : { after }) },
    });
    entries.push(...page.entries);
    if (page.next === null) return { version: page.version, entries };
    after = page.next;
  }
}

export async function downloadArtifact(
  connection: ApiConnection | null,
  version: ArtifactVersionDto,
  entries: readonly ManifestEntry[],
  root: string,
  cache: ArtifactCache = new ArtifactCache(),
): Promise<DownloadReport> {
  const report: DownloadReport = { root, fromCache: 0, fetched: 0, present: 0, bytesFetched: 0 };
  const stored = entries.filter((e): e is StoredManifestEntry => !isReferenceEntry(e));
  const missing: StoredManifestEntry[] = [];
  await mkdir(root, { recursive: true });
  const references = entries.filter((e): e is ReferenceManifestEntry => isReferenceEntry(e));
  if (references.length > 0)
    await downloadReferences(`${version.name}:${version.version}`, references, root, cache, report);
  await inParallel(stored, async (entry) => {
    const target = join(root, ...entry.path.split("/"));
    if (cache.has(entry.sha256, entry.size)) {
      if (!(await sameSize(target, entry.size)) || (await sha256Of(target)) !== entry.sha256)
        await placeCopy(cache.objectPath(entry.sha256), target);
      report.fromCache++;
    } else if ((await sameSize(target, entry.size)) && (await sha256Of(target)) === entry.sha256) {
      report.present++;
    } else missing.push(entry);
  });
  if (missing.length === 0) {
    if (report.bytesFetched > 0) keepUnderCap(cache);
    return report;
  }
  if (connection === null)
    throw new CorruptDataError(
      `artifact ${version.name}:${version.version}: ${missing.length} entries are not cached and no server is known to fetch them from`,
    );
  const urls = new Map<string, string>();
  for (const entry of (await fetchManifest(connection, version)).entries)
    if (!isReferenceEntry(entry) && entry.url !== undefined) urls.set(entry.sha256, entry.url);
  await inParallel(missing, async (entry) => {
    const url = urls.get(entry.sha256);
    if (url === undefined)
      throw new CorruptDataError(
        `artifact ${version.name}:${version.version}: the server gave no URL for '${entry.path}'`,
      );
    await fetchInto(connection.baseUrl + url, entry, version, cache);
    report.bytesFetched += entry.size;
    await placeCopy(cache.objectPath(entry.sha256), join(root, ...entry.path.split("/")));
    report.fetched++;
  });
  keepUnderCap(cache);
  return report;
}

/**
 * After a download brought new bytes in: the cache's least recently used objects go until it
 * fits its cap (what `stepwise artifact cache cleanup` does by hand). The files just placed in
 * `root` are copies, so nothing downloaded is lost if its cached object goes too.
 */
function keepUnderCap(cache: ArtifactCache): void {
  let maxBytes: number;
  try {
    maxBytes = cache.maxBytes ?? cacheMaxBytes();
  } catch {
    return; // a malformed STEPWISE_CACHE_MAX_SIZE: `stepwise artifact cache cleanup` says so
  }
  cleanupArtifactCache(maxBytes, cache.root);
}

/**
 * Checks the files of `root` against the manifest (each stored entry present with its size and
 * sha256; each fetched reference with its size, and its sha256 where known without a request);
 * throws CorruptDataError naming every entry that differs, and the fix.
 */
export async function verifyArtifact(
  name: string,
  entries: readonly ManifestEntry[],
  root: string,
  cache: ArtifactCache = new ArtifactCache(),
): Promise<void> {
  const problems = await referenceProblems(
    entries.filter((e): e is ReferenceManifestEntry => isReferenceEntry(e)),
    root,
    cache,
  );
  await inParallel(
    entries.filter((e): e is StoredManifestEntry => !isReferenceEntry(e)),
    async (entry) => {
      const path = join(root, ...entry.path.split("/"));
      if (!(await sameSize(path, entry.size)))
        problems.push(`'${entry.path}' is missing or has another size`);
      else if ((await sha256Of(path)) !== entry.sha256) problems.push(`'${entry.path}' has other content`);
    },
  );
  if (problems.length > 0)
    throw new CorruptDataError(
      `artifact ${name} in ${root}: ${problems.sort().slice(0, 10).join("; ")}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ""}; download it again`,
    );
}

async function fetchInto(
  url: string,
  entry: StoredManifestEntry,
  version: ArtifactVersionDto,
  cache: ArtifactCache,
): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || response.body === null)
    throw new CorruptDataError(
      `artifact ${version.name}:${version.version}: fetching '${entry.path}' answered HTTP ${response.status}`,
    );
  const temp = cache.tempFor(entry.sha256);
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
    await pipeline(Readable.fromWeb(response.body as never), measure, createWriteStream(temp));
    const sha256 = hash.digest("hex");
    if (size !== entry.size || sha256 !== entry.sha256)
      throw new CorruptDataError(
        `artifact ${version.name}:${version.version}: '${entry.path}' arrived as ${size} bytes with sha256 ${sha256}, not the manifest's ${entry.size} bytes ${entry.sha256}; nothing was kept, download again`,
      );
    cache.place(temp, entry.sha256);
  } finally {
    await rm(temp, { force: true });
  }
}
