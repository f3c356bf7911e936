/**
 * Where run files live (media, saved files, uploaded logs). Local directory now, S3 later;
 * one contract suite for both. Paths are relative, `/`-separated, validated by the caller
 * (no `..`, no absolute paths, no NUL).
 */
import type { Readable } from "node:stream";

/** What `put` wrote, before and after it replaces the stored file. */
export interface WrittenBlob {
  size: number;
  sha256: string;
}

export interface BlobStore {
  /**
   * Writes atomically (temp + rename) and returns size and sha256 (hex). `beforeReplace` runs
   * once the bytes are safely written but before they replace the stored file: if it throws,
   * the stored file stays as it was (the caller records the file there, so that a failed record
   * never leaves new bytes under an old record). Puts to one key replace it one at a time, each
   * with its `beforeReplace`, so the last record written describes the bytes that stay.
   */
  put(
    key: string,
    body: Readable | Uint8Array,
    beforeReplace?: (written: WrittenBlob) => Promise<void>,
  ): Promise<WrittenBlob>;
  /** null when absent. */
  get(key: string): Promise<Readable | null>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A key this store cannot hold: a part of it is a stored file where a folder is needed
 * (`file-in-the-way`), the key itself is a folder of other files (`folder-in-the-way`), or a
 * name is longer than the store allows (`name-too-long`). `at` is the key of the part at fault.
 */
export class BlobKeyError extends Error {
  constructor(
    readonly reason: "file-in-the-way" | "folder-in-the-way" | "name-too-long",
    readonly key: string,
    readonly at: string,
  ) {
    super(`blob key '${key}' cannot be stored: ${reason} at '${at}'`);
    this.name = "BlobKeyError";
  }
}
