/**
 * Where run files live (media, saved files, uploaded logs). Local directory now, S3 later;
 * one contract suite for both. Paths are relative, `/`-separated, validated by the caller
 * (no `..`, no absolute paths, no NUL).
 */
import type { Readable } from "node:stream";

export interface BlobStore {
  /** Writes atomically (temp + rename) and returns size and sha256 (hex). */
  put(key: string, body: Readable | Uint8Array): Promise<{ size: number; sha256: string }>;
  /** null when absent. */
  get(key: string): Promise<Readable | null>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
