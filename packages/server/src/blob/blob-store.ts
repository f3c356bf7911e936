/**
 * Where the bytes of run files live: a content-addressed store of blobs keyed by their sha256
 * (64 lowercase hex digits), so identical content is stored once whichever runs hold it. Run
 * files are records in the Store that point at a blob. A local directory (local-blob-store.ts)
 * or S3 (s3-blob-store.ts); one contract suite (test/blob-contract) for both.
 */
import type { Readable } from "node:stream";

/** What `put` or `completeUpload` stored. */
export interface WrittenBlob {
  size: number;
  sha256: string;
}

export interface BlobInfo extends WrittenBlob {
  /** Unix seconds of the last write or dedupe of this blob (garbage collection spares young blobs). */
  modifiedAt: number;
}

/** What a write must match; a body that does not is refused with ContentMismatchError, nothing kept. */
export interface BlobExpectation {
  size?: number;
  sha256?: string;
  /** A body longer than this is refused with PAYLOAD_TOO_LARGE while it streams, nothing kept. */
  maxBytes?: number;
}

/** Inclusive byte range of a blob, `end` < size. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StagedUploadInfo {
  id: string;
  /** Bytes received so far: the next part starts here. */
  received: number;
  /** Unix seconds of the last part received (or of the start). */
  modifiedAt: number;
}

export interface BlobStore {
  /**
   * Streams `body` to a temp file while hashing it (never holding it whole in memory), checks
   * it against `expect`, then makes it the blob of its sha256 atomically. Content already
   * stored is not stored twice (its modification time is renewed). A failed or refused write
   * leaves nothing behind.
   */
  put(body: Readable | Uint8Array, expect?: BlobExpectation): Promise<WrittenBlob>;
  /** Size and modification time, or null when no such blob is stored. */
  head(sha256: string): Promise<BlobInfo | null>;
  /** The blob's bytes (only `range` when given), or null when absent. */
  get(sha256: string, range?: ByteRange): Promise<Readable | null>;
  /** Every stored blob, in no particular order. */
  list(): AsyncIterable<BlobInfo>;
  /** Removes the blob; removing an absent one does nothing. */
  delete(sha256: string): Promise<void>;

  /** Starts a resumable upload of the content `expect` describes; resolves to its id. */
  beginUpload(expect: { size: number; sha256: string }): Promise<string>;
  /** How far upload `id` has come, or null when there is no such upload (completed, aborted or removed). */
  uploadStatus(id: string): Promise<StagedUploadInfo | null>;
  /**
   * Appends `body` to upload `id`, which must have received exactly `offset` bytes (else
   * UploadOffsetError with what it has); at most `maxBytes` of it. Resolves to the bytes
   * received. Bytes that arrived before a body was cut short are kept (the next part starts
   * after them).
   */
  appendUpload(id: string, offset: number, body: Readable, maxBytes: number): Promise<number>;
  /**
   * Checks the received bytes against `expect`: when they match they become the blob of that
   * sha256 (the upload is gone), else the upload is removed and ContentMismatchError thrown.
   */
  completeUpload(id: string, expect: { size: number; sha256: string }): Promise<WrittenBlob>;
  /** Removes the upload and its bytes; an unknown id does nothing. */
  abortUpload(id: string): Promise<void>;
  /** Every upload in progress (for expiry of the ones nobody finished). */
  listUploads(): AsyncIterable<StagedUploadInfo>;

  /**
   * A URL path (with query) that lets its holder send the parts of upload `id` until
   * `expiresAt` (unix seconds), without credentials. An S3 store returns a presigned URL.
   */
  uploadUrl(id: string, expiresAt: number): string;
  /** A URL path that lets its holder download blob `sha256` until `expiresAt`, without credentials. */
  downloadUrl(sha256: string, expiresAt: number): string;
  /**
   * An absolute URL of the object store itself that serves blob `sha256` until `expiresAt`
   * (an S3 presigned GET URL), where there is one: the route behind `downloadUrl` redirects
   * GETs to it, so the bytes go from the object store to the client directly.
   */
  directDownloadUrl?(sha256: string, expiresAt: number): string;

  close(): Promise<void>;
}

/**
 * Synchronous steps that the Store runs inside its write transaction, so that recording a
 * reference to a blob and collecting an unreferenced one cannot interleave, in this process or
 * another sharing the database (Store.putFile's `whileLocked`, Store.collectBlob's `remove`).
 * The local store stats and unlinks files; the S3 store (s3-blob-store.ts) answers from what
 * this process knows of its blobs (`prepareLeases` finds them out first) and deletes objects
 * after the transaction (`settleDeletes`).
 */
export interface BlobLeases {
  /** Renews the blob's modification time; false when it is not stored. */
  touchSync(sha256: string): boolean;
  /** Removes the blob if it was last written before `before` (unix seconds); true when it did. */
  deleteIfOlderSync(sha256: string, before: number): boolean;
  /**
   * Call before a transaction that will `touchSync` these blobs: a store that cannot look
   * synchronously (S3) finds out here which exist. Local files need nothing.
   */
  prepareLeases?(sha256s: Iterable<string>): Promise<void>;
  /** Resolves once the deletions `deleteIfOlderSync` decided have happened (S3 deletes after the transaction). */
  settleDeletes?(): Promise<void>;
}
