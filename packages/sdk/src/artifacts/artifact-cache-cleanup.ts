/**
 * Least-recently-used cleanup of the artifact cache's objects (artifact-cache.ts): the objects
 * used longest ago are removed until what is left fits `maxBytes`. An object's modification time
 * is its last use: it is set when the object is placed and renewed (at most hourly) when a
 * download finds it in the cache. Unfinished downloads (`*.part`) older than a day are removed
 * too; manifests (small) are kept.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { artifactCacheDir } from "./artifact-cache.js";

export interface CacheCleanupResult {
  /** Objects removed and their bytes. */
  removed: number;
  bytesFreed: number;
  /** Objects and bytes left. */
  kept: number;
  bytesKept: number;
}

const PART_MAX_AGE_MS = 24 * 3600 * 1000;
/** The cap when neither `--max-size` nor `STEPWISE_CACHE_MAX_SIZE` says: 10 GiB. */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 ** 3;

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** `500MB`, `1.5GiB`, `10gb`, `1000000` as bytes; null when not a size. */
export function parseSize(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = SIZE_UNITS[(match?.[2] ?? "").toLowerCase()];
  if (match === null || unit === undefined) return null;
  return Math.floor(Number(match[1]) * unit);
}

/** The cap from `STEPWISE_CACHE_MAX_SIZE`, else the default; throws on a value that is not a size. */
export function cacheMaxBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env["STEPWISE_CACHE_MAX_SIZE"];
  if (raw === undefined || raw === "") return DEFAULT_CACHE_MAX_BYTES;
  const bytes = parseSize(raw);
  if (bytes === null) throw new Error(`STEPWISE_CACHE_MAX_SIZE=${raw} is not a size (like 20GB or 500MiB)`);
  return bytes;
}

export function cleanupArtifactCache(
  maxBytes: number,
  root: string = artifactCacheDir(),
  now: number = Date.now(),
): CacheCleanupResult {
  const objects: { path: string; size: number; usedMs: number }[] = [];
  const objRoot = join(root, "artifacts", "obj");
  let shards: string[];
  try {
    shards = readdirSync(objRoot);
  } catch {
    return { removed: 0, bytesFreed: 0, kept: 0, bytesKept: 0 };
  }
  for (const shard of shards) {
    let names: string[];
    try {
      names = readdirSync(join(objRoot, shard));
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(objRoot, shard, name);
      try {
        const stat = statSync(path);
        if (!stat.isFile()) continue;
        if (name.endsWith(".part")) {
          if (now - stat.mtimeMs > PART_MAX_AGE_MS) rmSync(path, { force: true });
          continue;
        }
        objects.push({ path, size: stat.size, usedMs: stat.mtimeMs });
      } catch {
        // Removed meanwhile (another cleanup): nothing to count.
      }
    }
  }
  let total = objects.reduce((sum, o) => sum + o.size, 0);
  objects.sort((a, b) => a.usedMs - b.usedMs);
  let removed = 0;
  let bytesFreed = 0;
  for (const object of objects) {
    if (total <= maxBytes) break;
    rmSync(object.path, { force: true });
    total -= object.size;
    removed++;
    bytesFreed += object.size;
  }
  return { removed, bytesFreed, kept: objects.length - removed, bytesKept: total };
}
