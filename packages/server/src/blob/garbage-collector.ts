/**
 * Garbage collection of the file store: frees blobs that no run file record references, and
 * only those, and removes uploads nobody finished. The rule that keeps it safe beside uploads
 * in flight, in this process or another sharing the database:
 *
 * 1. A record is written only inside the store's write transaction, after the blob was found
 *    there and its modification time renewed (RunFileChannel.record → Store.putFile).
 * 2. A blob is deleted only inside a write transaction that found no record pointing at it
 *    (Store.collectBlob), and only when it was last written or renewed before the grace period.
 *
 * (1) and (2) cannot interleave, so no record ever points at a deleted blob. The grace period
 * spares blobs that were just stored or deduplicated and are about to be recorded, so such an
 * upload does not have to be sent again.
 *
 * Files derived from a freed blob (its stored table, its thumbnails: blob/derived-files.ts) are
 * removed with it.
 */
import type { Store } from "../store/store.js";
import type { BlobLeases, BlobStore } from "./blob-store.js";
import type { DerivedFiles } from "./derived-files.js";

/** Blobs and staged uploads younger than this are never collected. Default 1 hour. */
export const DEFAULT_GC_GRACE_S = 3600;

export interface GcOptions {
  /** Unix seconds of now. */
  now: number;
  /** Default DEFAULT_GC_GRACE_S. */
  graceS?: number;
  /** Removes what was derived from each freed blob (stored tables, thumbnails); default nothing. */
  derived?: DerivedFiles;
}

export interface GcReport {
  /** Blobs looked at. */
  blobs: number;
  /** sha256 of each blob freed. */
  freed: string[];
  bytesFreed: number;
  /** Staged uploads removed (expired, or left without a record by a crash). */
  uploadsRemoved: number;
  /** Bytes those uploads held. */
  uploadBytesFreed: number;
  /** Stored tables and thumbnails of the freed blobs, removed with them. */
  derivedFilesRemoved: number;
}

export interface CollectableBlobs extends BlobStore, BlobLeases {
  /** Temp files of writes a crash cut short, older than `before`: removes them (optional). */
  removeStaleTemps?(before: number): Promise<number>;
}

export async function collectGarbage(
  store: Store,
  blobs: CollectableBlobs,
  options: GcOptions,
): Promise<GcReport> {
  const before = options.now - (options.graceS ?? DEFAULT_GC_GRACE_S);
  const report: GcReport = {
    blobs: 0,
    freed: [],
    bytesFreed: 0,
    uploadsRemoved: 0,
    uploadBytesFreed: 0,
    derivedFilesRemoved: 0,
  };
  for (const upload of await store.expiredUploads(options.now)) {
    report.uploadBytesFreed += (await blobs.uploadStatus(upload.id))?.received ?? 0;
    await blobs.abortUpload(upload.id);
    await store.deleteUpload(upload.id);
    report.uploadsRemoved++;
  }
  for await (const staged of blobs.listUploads()) {
    if (staged.modifiedAt >= before || (await store.getUpload(staged.id)) !== null) continue;
    await blobs.abortUpload(staged.id);
    report.uploadsRemoved++;
    report.uploadBytesFreed += staged.received;
  }
  await blobs.removeStaleTemps?.(before);
  for await (const blob of blobs.list()) {
    report.blobs++;
    if (blob.modifiedAt >= before) continue;
    if (await store.collectBlob(blob.sha256, () => blobs.deleteIfOlderSync(blob.sha256, before))) {
      await blobs.settleDeletes?.();
      report.freed.push(blob.sha256);
      report.bytesFreed += blob.size;
      report.derivedFilesRemoved += (await options.derived?.remove(blob.sha256)) ?? 0;
    }
  }
  return report;
}

/** The report as lines for a terminal. */
export function formatGcReport(report: GcReport): string[] {
  return [
    `Looked at ${report.blobs} blobs: freed ${report.freed.length} that no run file references (${report.bytesFreed} bytes).`,
    ...report.freed.map((sha256) => `freed ${sha256}`),
    `Removed ${report.uploadsRemoved} unfinished uploads (${report.uploadBytesFreed} bytes).`,
    `Removed ${report.derivedFilesRemoved} stored tables and thumbnails of the freed blobs.`,
  ];
}
