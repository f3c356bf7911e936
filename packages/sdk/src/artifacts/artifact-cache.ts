/**
 * The local, content-addressed artifact cache (`STEPWISE_CACHE_DIR`, default
 * `~/.cache/stepwise`): `artifacts/obj/<aa>/<sha256>` holds bytes whose sha256 was checked
 * when they were downloaded (written to a temp file, hashed, renamed into place), so a file
 * present there with its size is trusted without reading it again or asking the server.
 * `artifacts/manifests/<server>/<entity>/<project>/<name>/<version>.json` keeps each version's
 * manifest (versions never change) and `<alias>.alias` the version an alias last named, so that
 * a version whose files are all cached downloads with the server stopped. `artifacts/refs/` notes
 * the content (sha256) a reference's download had, by the URI and ETag logged. Manifests are kept per
 * server (its base URL): `v0` of one name on two servers are two versions. An object's modification
 * time is its last use, for least-recently-used cleanup (artifact-cache-cleanup.ts).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import {
  artifactManifestSchema,
  artifactVersionDtoSchema,
  type ArtifactVersionDto,
  type ManifestEntry,
} from "@stepwise/protocol";

/** How stale an object's use time may get before a cache hit renews it. */
const USE_RENEWAL_MS = 3600 * 1000;

export function artifactCacheDir(env: Record<string, string | undefined> = process.env): string {
  const dir = env["STEPWISE_CACHE_DIR"];
  return dir !== undefined && dir !== "" ? dir : join(homedir(), ".cache", "stepwise");
}

export class ArtifactCache {
  /**
   * `maxBytes`: the cap a download keeps the cache under once it has fetched new bytes
   * (artifact-download.ts); null: `STEPWISE_CACHE_MAX_SIZE` of this process, else 10 GiB.
   */
  constructor(
    readonly root: string = artifactCacheDir(),
    readonly maxBytes: number | null = null,
  ) {}

  /** Where the bytes of `sha256` live in the cache (present or not). */
  objectPath(sha256: string): string {
    return join(this.root, "artifacts", "obj", sha256.slice(0, 2), sha256);
  }

  /**
   * Whether the cache holds `sha256` with `size` bytes (no read, no network). A hit renews the
   * object's modification time, its last use for LRU cleanup (artifact-cache-cleanup.ts), at
   * most once an hour so that a warm download stays one stat per file.
   */
  has(sha256: string, size: number): boolean {
    const path = this.objectPath(sha256);
    try {
      const stat = statSync(path);
      if (stat.size !== size) return false;
      const now = Date.now();
      if (now - stat.mtimeMs > USE_RENEWAL_MS) {
        try {
          utimesSync(path, now / 1000, now / 1000);
        } catch {
          // A read-only cache still answers.
        }
      }
      return true;
    } catch {
      return false;
    }
  }

  /** A temp path beside the object's place, for a download to write to before `place`. */
  tempFor(sha256: string): string {
    const path = this.objectPath(sha256);
    mkdirSync(dirname(path), { recursive: true });
    return `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
  }

  /** Moves checked bytes into place (a reference's temp file may lie in another shard). */
  place(temp: string, sha256: string): void {
    const path = this.objectPath(sha256);
    mkdirSync(dirname(path), { recursive: true });
    renameSync(temp, path);
  }

  /**
   * The content (sha256, size) a reference downloaded earlier had, keyed by what its manifest
   * entry recorded (URI, ETag or digest, size): an ETag is no sha256, so this index is what lets a
   * cached reference be placed, and checked in `root`, without asking its server.
   */
  referenceContent(
    ref: string,
    digest: string,
    size: number | null,
  ): { sha256: string; size: number } | null {
    try {
      const [sha256, bytes] = readFileSync(this.referencePath(ref, digest, size), "utf8").split(" ");
      if (sha256 === undefined || !/^[0-9a-f]{64}$/.test(sha256) || !/^[0-9]+$/.test(bytes ?? ""))
        return null;
      return { sha256, size: Number(bytes) };
    } catch {
      return null;
    }
  }

  /** Notes the content a reference's download had (after its bytes were checked and placed). */
  noteReferenceContent(
    ref: string,
    digest: string,
    size: number | null,
    content: { sha256: string; size: number },
  ): void {
    try {
      const path = this.referencePath(ref, digest, size);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.tmp`, `${content.sha256} ${content.size}`);
      renameSync(`${path}.tmp`, path);
    } catch {
      // Unwritable: the next download asks the reference's server again.
    }
  }

  saveManifest(version: ArtifactVersionDto, entries: ManifestEntry[], alias: string, server: string): void {
    try {
      const dir = this.manifestDir(version, server);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${version.version}.json`);
      writeFileSync(`${file}.tmp`, JSON.stringify({ version, manifest: { version: 1, entries } }));
      renameSync(`${file}.tmp`, file);
      if (alias !== version.version) writeFileSync(join(dir, `${alias}.alias`), version.version);
    } catch {
      // A cache that cannot be written only costs the next download a request.
    }
  }

  /** The manifest of `alias` (a version name, or an alias as last resolved) kept by an earlier download. */
  readManifest(
    path: { entity: string; project: string; name: string },
    alias: string,
    server: string,
  ): { version: ArtifactVersionDto; entries: ManifestEntry[] } | null {
    const dir = this.manifestDir(path, server);
    try {
      const version = /^v[0-9]+$/.test(alias) ? alias : readFileSync(join(dir, `${alias}.alias`), "utf8");
      const cached = JSON.parse(readFileSync(join(dir, `${version}.json`), "utf8")) as Record<
        string,
        unknown
      >;
      return {
        version: artifactVersionDtoSchema.parse(cached["version"]),
        entries: artifactManifestSchema.parse(cached["manifest"]).entries,
      };
    } catch {
      return null;
    }
  }

  private referencePath(ref: string, digest: string, size: number | null): string {
    const key = createHash("sha256")
      .update(`${ref}\t${digest}\t${size ?? ""}`)
      .digest("hex");
    return join(this.root, "artifacts", "refs", key.slice(0, 2), key);
  }

  private manifestDir(path: { entity: string; project: string; name: string }, server: string): string {
    const safe = (s: string): string => encodeURIComponent(s);
    const host = safe(server.replace(/\/+$/, ""));
    return join(
      this.root,
      "artifacts",
      "manifests",
      host,
      safe(path.entity),
      safe(path.project),
      safe(path.name),
    );
  }
}
