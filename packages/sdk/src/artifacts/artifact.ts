/**
 * `new Artifact(name, type, { description, metadata })`: a versioned set of files built up
 * locally, then logged by a run (`run.logArtifact`). Adding a file records its path and size
 * and never reads it on the calling thread: contents are hashed when the artifact is sealed for
 * logging (`sealArtifact`), so `addDir` of a 50 GB dataset returns at once. A logged artifact
 * is frozen: the version it became cannot be changed by editing the object.
 *
 * Names follow protocol artifacts.ts (the server checks the same rules): a bad name, type or
 * entry path throws UsageError at the call, naming the field and the fix.
 */
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  type Stats,
  type WriteStream,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import {
  artifactNameProblem,
  compareCodePoints,
  isReferenceEntry,
  UsageError,
  type ArtifactVersionDto,
  type ManifestEntry,
} from "@stepwise/protocol";
import { saveArtifact } from "./artifact-save.js";
import type { ApiConnection } from "../api/api-connection.js";
import type { ArtifactCache } from "./artifact-cache.js";
import { downloadArtifact, verifyArtifact } from "./artifact-download.js";
import { fetchedReferences } from "./references/reference-download.js";
import { entryPath } from "./entry-path.js";
import {
  pendingReference,
  type PendingReference,
  type ReferenceOptions,
} from "./references/pending-reference.js";

/** An entry while the artifact is being built: a local file to hash, or a reference. */
export type PendingEntry =
  | { kind: "file"; path: string; localPath: string; size: number }
  | ({ kind: "reference" } & PendingReference);

export interface ArtifactOptions {
  description?: string;
  metadata?: Record<string, unknown>;
}

export class Artifact {
  readonly name: string;
  readonly type: string;
  description: string;
  metadata: Record<string, unknown>;
  /** Extra aliases to place when logged (`latest` is the server's). */
  aliases: string[] = [];
  tags: string[] = [];
  /**
   * Seconds the version lives from its creation; null (default): kept until deleted. Set it
   * before logging, or on a logged version then `save()`. Past it, retention (scheduled, or
   * `stepwise artifact gc`) deletes the version unless it is the newest, holds an alias or is
   * linked in a registry.
   */
  ttl: number | null = null;
  private readonly pending = new Map<string, PendingEntry>();
  private staging: string | undefined;
  private readonly newFiles = new Map<string, WriteStream>();
  private logged: { version: ArtifactVersionDto; entries: ManifestEntry[] } | null = null;
  /**
   * Sealed by `run.logArtifact` (its digest), and the commit the upload worker reports (null for
   * `run.upsertArtifact`: its part of the distributed version `distributedId` is on the server).
   */
  private sealed: {
    digest: string;
    entries: ManifestEntry[];
    committed: Promise<ArtifactVersionDto | null>;
    distributedId: string | null;
  } | null = null;
  /** The server a logged or fetched version is downloaded from (null: none known, cache only). */
  private connection: ApiConnection | null = null;
  private cache: ArtifactCache | undefined;

  constructor(name: string, type: string, options: ArtifactOptions = {}) {
    this.name = checked(name, "name", "new Artifact(name)");
    this.type = checked(type, "type", "new Artifact(name, type)");
    this.description = options.description ?? "";
    this.metadata = { ...(options.metadata ?? {}) };
  }

  /** Adds one local file, as `name` (default: its base name). */
  addFile(localPath: string, options: { name?: string } = {}): this {
    this.assertOpen("addFile");
    const absolute = resolve(localPath);
    const stat = statOrThrow(absolute, "addFile");
    if (!stat.isFile())
      throw new UsageError(`artifact.addFile: '${localPath}' is not a file; use addDir for a folder`);
    const path = entryPath(options.name ?? baseName(absolute), "addFile");
    this.pending.set(path, { kind: "file", path, localPath: absolute, size: stat.size });
    return this;
  }

  /** Adds every file under a folder (recursively), under `name/` when given. */
  addDir(localPath: string, options: { name?: string } = {}): this {
    this.assertOpen("addDir");
    const absolute = resolve(localPath);
    if (!statOrThrow(absolute, "addDir").isDirectory())
      throw new UsageError(`artifact.addDir: '${localPath}' is not a folder; use addFile for a file`);
    const prefix = options.name === undefined ? "" : `${entryPath(options.name, "addDir")}/`;
    for (const [relative, file, size] of filesUnder(absolute)) {
      const path = entryPath(prefix + relative, "addDir");
      this.pending.set(path, { kind: "file", path, localPath: file, size });
    }
    return this;
  }

  /**
   * Adds a reference: the URI is recorded, the bytes are not copied. With `checksum` (default
   * true) it is recorded with what identifies its content when the artifact is sealed: a
   * `file://` file's sha256, an `http(s)://` URL's ETag and size (HEAD), an `s3://` object's
   * ETag, size and version; `s3://bucket/prefix/` (or a key with objects under it) is a folder:
   * one entry per object, under `name/` when `name` is given, at most `maxObjects` (default
   * 10,000,000). `checksum: false` records the URI alone. `download()` fetches references too.
   */
  addReference(uri: string, options: ReferenceOptions = {}): this {
    this.assertOpen("addReference");
    const reference = pendingReference(uri, options);
    this.pending.set(reference.path, { kind: "reference", ...reference });
    return this;
  }

  /**
   * A new file in the artifact, written through the returned stream (to a staging folder);
   * its contents are what the stream holds when the artifact is logged.
   */
  newFile(name: string): WriteStream {
    this.assertOpen("newFile");
    const path = entryPath(name, "newFile");
    this.staging ??= mkdtempSync(join(tmpdir(), "stepwise-artifact-"));
    const localPath = join(this.staging, ...path.split("/"));
    mkdirSync(dirname(localPath), { recursive: true });
    const stream = createWriteStream(localPath);
    this.pending.set(path, { kind: "file", path, localPath, size: 0 });
    this.newFiles.set(path, stream);
    return stream;
  }

  /** Removes an entry added before; throws when there is none by that name. */
  remove(name: string): this {
    this.assertOpen("remove");
    if (!this.pending.delete(name))
      throw new UsageError(`artifact.remove: no entry '${name}' in ${this.name}`);
    return this;
  }

  /** The entry named `name`: the logged manifest entry once logged, else what was added. */
  getEntry(name: string): ManifestEntry | PendingEntry | null {
    if (this.logged !== null) return this.logged.entries.find((e) => e.path === name) ?? null;
    return this.pending.get(name) ?? null;
  }

  /** Entries added so far (before logging), in code-point order of path. */
  pendingEntries(): PendingEntry[] {
    return [...this.pending.values()].sort((a, b) => compareCodePoints(a.path, b.path));
  }

  /**
   * Waits for the streams of `newFile` to be flushed; throws UsageError naming any whose
   * stream was never ended (its contents would be a guess).
   */
  async flushNewFiles(): Promise<void> {
    for (const [path, stream] of this.newFiles) {
      if (!this.pending.has(path) || stream.writableFinished) continue;
      if (!stream.writableEnded)
        throw new UsageError(
          `artifact ${this.name}: the stream of newFile('${path}') is still open; call .end() on it before logging`,
        );
      await new Promise<void>((done, fail) => {
        stream.once("finish", done);
        stream.once("error", fail);
      });
    }
  }

  /** `v3` once logged, null before. */
  get version(): string | null {
    return this.logged?.version.version ?? null;
  }
  /** The version digest: known once logged (sealed), before the server committed it. */
  get digest(): string | null {
    return this.logged?.version.digest ?? this.sealed?.digest ?? null;
  }
  /** Bytes of the stored files: known exactly once logged; before, the sum of the files added. */
  get size(): number {
    if (this.logged !== null) return this.logged.version.size;
    let size = 0;
    for (const entry of this.pending.values()) if (entry.kind === "file") size += entry.size;
    return size;
  }
  /** The logged manifest's entries; null before logging. */
  get manifest(): ManifestEntry[] | null {
    return this.logged === null ? null : [...this.logged.entries];
  }
  /** `entity/project/name:v3` once logged; `name` before. */
  get qualifiedName(): string {
    const v = this.logged?.version;
    return v === undefined ? this.name : `${v.entity}/${v.project}/${v.name}:${v.version}`;
  }

  /**
   * Resolves with this artifact once its version is committed on the server (`run.logArtifact`
   * returns once it is sealed and recorded in the run log; the upload worker commits it after).
   * After `run.upsertArtifact`: once the server holds this part of the distributed version
   * (wait for every writer's part before `run.finishArtifact`).
   * An artifact fetched with `api.artifact` or `useArtifact` is committed already.
   */
  async wait(): Promise<this> {
    if (this.logged !== null) return this;
    if (this.sealed === null)
      throw new UsageError(`artifact ${this.name} is not logged: call run.logArtifact(artifact) first`);
    await holdingProcess(this.sealed.committed);
    return this;
  }

  /**
   * Downloads the version's stored files into `root` (default `./artifacts/<name>-<version>`)
   * and resolves with it: files in the local cache (STEPWISE_CACHE_DIR) are placed without any
   * request; the rest are fetched in parallel from one manifest request and checked (sha256).
   * References (`file://`, `http(s)://`, `s3://`) are fetched from where they point and checked
   * against the ETag or digest logged (CorruptDataError naming the entry when it changed).
   */
  async download(options: { root?: string } = {}): Promise<string> {
    const { version, entries } = await this.committed("download");
    const root = resolve(options.root ?? join("artifacts", `${version.name}-${version.version}`));
    await downloadArtifact(this.connection, version, entries, root, this.cache);
    return root;
  }

  /** Checks that `root` holds every stored file and fetched reference of the version with its content (CorruptDataError naming those that differ). */
  async verify(options: { root?: string } = {}): Promise<void> {
    const { version, entries } = await this.committed("verify");
    const root = resolve(options.root ?? join("artifacts", `${version.name}-${version.version}`));
    await verifyArtifact(`${version.name}:${version.version}`, entries, root, this.cache);
  }

  /** Downloads a single-file artifact and resolves with that file's local path. */
  async file(options: { root?: string } = {}): Promise<string> {
    const { entries } = await this.committed("file");
    const stored = entries.filter((e) => !isReferenceEntry(e) || fetchedReferences([e]).length === 1);
    if (stored.length !== 1 || stored[0] === undefined)
      throw new UsageError(
        `artifact.file: ${this.qualifiedName} holds ${stored.length} files, not one; use download() for the folder`,
      );
    const root = await this.download(options);
    return join(root, ...stored[0].path.split("/"));
  }

  /** Sends `ttl`, `aliases` and `tags` of a logged version to the server (artifact-save.ts); resolves with this artifact as saved. */
  async save(): Promise<this> {
    const { version, entries } = await this.committed("save");
    const saved = await saveArtifact(this.connection, version, {
      ttl: this.ttl,
      aliases: this.aliases,
      tags: this.tags,
    });
    this.markLogged(saved, entries);
    return this;
  }

  /** Marks the artifact sealed by `run.logArtifact` (or upsert/finish): its digest and manifest, and its commit to come. */
  markSealed(
    digest: string,
    entries: ManifestEntry[],
    committed: Promise<ArtifactVersionDto | null>,
    distributedId: string | null = null,
  ): void {
    committed.catch(() => undefined);
    this.sealed = { digest, entries, committed, distributedId };
  }

  /** Marks the artifact logged as this version (called by the run once the server committed it). */
  markLogged(
    version: ArtifactVersionDto,
    entries: ManifestEntry[],
    connection?: ApiConnection | null,
    cache?: ArtifactCache,
  ): void {
    if (connection !== undefined) this.connection = connection;
    if (cache !== undefined) this.cache = cache;
    this.logged = { version, entries };
    this.aliases = version.aliases.filter((a) => a !== "latest");
    this.tags = [...version.tags];
    this.ttl = version.ttlS;
  }

  private async committed(call: string): Promise<{ version: ArtifactVersionDto; entries: ManifestEntry[] }> {
    if (this.logged === null && this.sealed !== null) await holdingProcess(this.sealed.committed);
    const distributedId = this.sealed?.distributedId ?? null;
    if (this.logged === null && distributedId !== null)
      throw new UsageError(
        `artifact.${call}: ${this.name} is a part of the distributed artifact '${distributedId}', which has a version once run.finishArtifact commits it; fetch that version (run.useArtifact or api.artifact)`,
      );
    if (this.logged === null)
      throw new UsageError(
        `artifact.${call}: ${this.name} has no committed version; log it (run.logArtifact) or fetch one (api.artifact)`,
      );
    return this.logged;
  }

  private assertOpen(method: string): void {
    if (this.logged !== null || this.sealed !== null)
      throw new UsageError(
        `artifact.${method}: ${this.qualifiedName} is logged and cannot change; make a new Artifact('${this.name}', '${this.type}') for the next version`,
      );
  }
}

/** Waits for `work`, keeping the process alive meanwhile (the upload worker that commits holds no handle). */
async function holdingProcess<T>(work: Promise<T>): Promise<T> {
  const keep = setInterval(() => undefined, 1 << 30);
  try {
    return await work;
  } finally {
    clearInterval(keep);
  }
}

function checked(value: string, what: "name" | "type", call: string): string {
  const problem = artifactNameProblem(value, what);
  if (problem !== null) throw new UsageError(`${call}: ${problem} (got '${value}')`);
  return value;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function statOrThrow(path: string, call: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new UsageError(`artifact.${call}: cannot read '${path}' (${code}); check the path`);
  }
}

/** Files under a folder as [path relative with '/', absolute path, size], sorted. */
function filesUnder(root: string): Array<[string, string, number]> {
  const out: Array<[string, string, number]> = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const absolute = join(dir, entry.name);
      if (entry.isDirectory()) walk(absolute, `${prefix}${entry.name}/`);
      else if (entry.isFile()) out.push([`${prefix}${entry.name}`, absolute, statSync(absolute).size]);
    }
  };
  walk(root, "");
  return out.sort((a, b) => compareCodePoints(a[0], b[0]));
}
