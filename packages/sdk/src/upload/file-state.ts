/**
 * What the server holds of a run directory's files, kept in `<run-dir>/file-state.json` and
 * replaced atomically (temp file + rename, like upload-state.json) at most once a second while
 * files are sent (10,000 small files must not rewrite it 10,000 times) and when the queue drains:
 * per path in the run, which content (sha256) the server has. A killed process, `stepwise sync`
 * or a resumed run reads it and sends only what is missing; a file half sent is continued by
 * the file client (the server remembers the upload by run, path, size and sha256).
 *
 * It also caches the sha256 of local files by (size, mtime): hashing a 1 GiB checkpoint again
 * after a crash would cost seconds of disk reads before the upload could go on.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./upload-state.js";

export const FILE_STATE_FILE = "file-state.json";
const SAVE_INTERVAL_MS = 1000;

export interface UploadedFile {
  sha256: string;
  size: number;
  /** Unix seconds. */
  at: number;
}

export interface HashedFile {
  size: number;
  mtimeMs: number;
  sha256: string;
}

interface FileStateData {
  version: 1;
  /** By path in the run. */
  uploaded: Record<string, UploadedFile>;
  /** By absolute local path. */
  hashes: Record<string, HashedFile>;
}

export class FileState {
  private data: FileStateData;
  /** Set once saving failed: progress is kept in memory and saved again at the next change. */
  saveError: unknown = null;
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(private readonly runDir: string) {
    this.data = readFileState(runDir);
  }

  uploaded(path: string): UploadedFile | null {
    return this.data.uploaded[path] ?? null;
  }

  /** Paths whose content the server holds. */
  get uploadedCount(): number {
    return Object.keys(this.data.uploaded).length;
  }

  markUploaded(path: string, sha256: string, size: number): void {
    this.data.uploaded[path] = { sha256, size, at: Date.now() / 1000 };
    this.saveSoon();
  }

  /** The cached hash of a local file when its size and mtime are unchanged. */
  cachedHash(localPath: string, size: number, mtimeMs: number): string | null {
    const hashed = this.data.hashes[localPath];
    return hashed !== undefined && hashed.size === size && hashed.mtimeMs === mtimeMs ? hashed.sha256 : null;
  }

  rememberHash(localPath: string, hashed: HashedFile): void {
    this.data.hashes[localPath] = hashed;
    this.saveSoon();
  }

  forgetHash(localPath: string): void {
    delete this.data.hashes[localPath];
  }

  /**
   * Saves now. Progress lost to a crash within the second before costs little: a file the state
   * does not list is declared again and the server, holding its content, sends nothing back.
   */
  flush(): void {
    if (this.saveTimer === null) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.save();
  }

  private saveSoon(): void {
    if (this.saveTimer !== null) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.save();
    }, SAVE_INTERVAL_MS);
    this.saveTimer.unref();
  }

  private save(): void {
    try {
      writeFileAtomic(join(this.runDir, FILE_STATE_FILE), JSON.stringify(this.data) + "\n");
      this.saveError = null;
    } catch (error) {
      this.saveError = error;
    }
  }
}

/** The saved state, or an empty one (unreadable: the server's dedupe makes re-sending cheap). */
function readFileState(runDir: string): FileStateData {
  const empty: FileStateData = { version: 1, uploaded: {}, hashes: {} };
  const file = join(runDir, FILE_STATE_FILE);
  if (!existsSync(file)) return empty;
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<FileStateData> | null;
    if (typeof parsed !== "object" || parsed === null) return empty;
    return {
      version: 1,
      uploaded: pick(parsed.uploaded, isUploaded),
      hashes: pick(parsed.hashes, isHashed),
    };
  } catch {
    return empty;
  }
}

function pick<T>(value: unknown, check: (item: unknown) => item is T): Record<string, T> {
  const out: Record<string, T> = {};
  if (typeof value !== "object" || value === null) return out;
  for (const [key, item] of Object.entries(value)) if (check(item)) out[key] = item;
  return out;
}

function isUploaded(item: unknown): item is UploadedFile {
  const value = item as Partial<UploadedFile> | null;
  return typeof value?.sha256 === "string" && typeof value.size === "number" && typeof value.at === "number";
}

function isHashed(item: unknown): item is HashedFile {
  const value = item as Partial<HashedFile> | null;
  return (
    typeof value?.sha256 === "string" && typeof value.size === "number" && typeof value.mtimeMs === "number"
  );
}
