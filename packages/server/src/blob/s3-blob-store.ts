/**
 * BlobStore on S3 or any S3-compatible object store (`--blobs s3://bucket/prefix`): blobs at
 * `<prefix>blobs/sha256/ab/abcdef…`, staged uploads under `<prefix>uploads/` (s3-staged-uploads.ts),
 * large writes of unknown content under `<prefix>tmp/`. A blob's content key only ever holds
 * that content: a write whose sha256 is declared streams straight to its key through a
 * verifying stream that refuses the bytes at their end unless they hash to it (S3 then keeps
 * nothing: a PutObject is never sent, a multipart upload is never completed); a write of
 * undeclared content is hashed first (in memory up to 8 MiB, else via a temp object that is
 * then copied server-side). Large bodies go as multipart uploads. Download URLs are the
 * server's signed URLs, whose route redirects to presigned S3 URLs (`directDownloadUrl`);
 * upload URLs stay the server's own (clients resume parts at byte offsets).
 *
 * Leases (BlobLeases) are kept in this process: a blob is known to exist once this process
 * wrote it or `prepareLeases` found it, `touchSync` renews it, and `deleteIfOlderSync` spares
 * what was renewed or is being written, marks the rest deleted at once (later touches fail)
 * and deletes the object after the transaction (`settleDeletes`). Across processes the grace
 * period and a last look before each delete protect blobs being written elsewhere.
 */
import { randomBytes } from "node:crypto";
import { pipeline, Readable } from "node:stream";
import { ContentMismatchError, SHA256_HEX } from "@stepwise/protocol";
import type {
  BlobExpectation,
  BlobInfo,
  BlobLeases,
  BlobStore,
  ByteRange,
  StagedUploadInfo,
  WrittenBlob,
} from "./blob-store.js";
import { checkSha256, fileTooLarge, mismatch } from "./local-blob-store.js";
import { MeasuringStream } from "./measuring-stream.js";
import type { S3Settings } from "./s3-location.js";
import { S3Objects } from "./s3-objects.js";
import { presignGet, type ResolvedCredentials } from "./s3-presign.js";
import { S3StagedUploads, type UploadPart } from "./s3-staged-uploads.js";
import type { UrlSigner } from "./url-signer.js";
import { VerifyingStream } from "./verifying-stream.js";

/** Bodies of undeclared content up to this size are hashed in memory and sent in one request. */
const SMALL_BYTES = 8 * 1024 * 1024;
/** Blobs remembered as stored (about 150 bytes each). */
const MAX_LEASES = 100_000;
/** How often temporary credentials are resolved again (for presigned URLs). */
const CREDENTIAL_REFRESH_MS = 5 * 60 * 1000;

export class S3BlobStore implements BlobStore, BlobLeases {
  private readonly blobsRoot: string;
  private readonly tmpRoot: string;
  private readonly uploads: S3StagedUploads;
  /** Blobs known to exist: unix seconds of their last renewal here (0: found, never renewed). */
  private readonly leases = new Map<string, number>();
  /** Writes in flight per blob. */
  private readonly writing = new Map<string, number>();
  /** Blobs decided deleted, with their deletion under way. */
  private readonly deleting = new Map<string, Promise<void>>();
  private readonly refresh: NodeJS.Timeout;

  private constructor(
    private readonly objects: S3Objects,
    private readonly signer: UrlSigner,
    private credentials: ResolvedCredentials,
  ) {
    const { prefix } = objects.settings;
    this.blobsRoot = `${prefix}blobs/sha256/`;
    this.tmpRoot = `${prefix}tmp/`;
    this.uploads = new S3StagedUploads(objects, `${prefix}uploads/`, mismatch, (parts, expect, verified) =>
      this.placeUpload(parts, expect, verified),
    );
    this.refresh = setInterval(() => {
      if (this.credentials.expiration !== undefined)
        void objects.credentials().then(
          (c) => (this.credentials = c),
          () => undefined,
        );
    }, CREDENTIAL_REFRESH_MS);
    this.refresh.unref();
  }

  /** Opens the store, checking that the bucket answers (a clear error at start, not at the first upload). */
  static async open(settings: S3Settings, signer: UrlSigner): Promise<S3BlobStore> {
    const objects = await S3Objects.open(settings);
    try {
      await objects.checkBucket();
      return new S3BlobStore(objects, signer, await objects.credentials());
    } catch (error) {
      objects.close();
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(
        `cannot reach bucket '${settings.bucket}' at ${settings.endpoint ?? `AWS (${settings.region})`}: ${reason}. Check --blobs, AWS_ENDPOINT_URL, AWS_REGION and the credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)`,
        { cause: error },
      );
    }
  }

  get location(): string {
    const { bucket, prefix } = this.objects.settings;
    return `s3://${bucket}/${prefix}`;
  }

  async put(body: Readable | Uint8Array, expect: BlobExpectation = {}): Promise<WrittenBlob> {
    if (expect.sha256 !== undefined) checkSha256(expect.sha256);
    const max = Math.min(expect.maxBytes ?? Number.MAX_SAFE_INTEGER, expect.size ?? Number.MAX_SAFE_INTEGER);
    const exceeded = (): Error =>
      expect.size !== undefined && max === expect.size
        ? new ContentMismatchError(
            `the body is longer than the declared ${expect.size} bytes; nothing of it was kept`,
          )
        : fileTooLarge(max);
    const source = body instanceof Readable ? body : Readable.from([body]);
    const declared = expect.sha256;
    if (declared !== undefined) {
      const verify = new VerifyingStream(max, exceeded, (written) => mismatch(written, expect));
      await this.write(declared, () =>
        this.objects.putStream(this.keyOf(declared), pipeline(source, verify, noop), expect.size),
      );
      return { size: verify.size, sha256: declared };
    }
    const measure = new MeasuringStream(max, exceeded);
    const chunks = pipeline(source, measure, noop)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const head: Buffer[] = [];
    let headBytes = 0;
    let next = await chunks.next();
    for (; !next.done && headBytes <= SMALL_BYTES; next = await chunks.next()) {
      head.push(next.value);
      headBytes += next.value.length;
    }
    if (next.done === true) {
      const written = { size: measure.size, sha256: measure.hash.digest("hex") };
      mismatch(written, expect);
      await this.write(written.sha256, () =>
        this.objects.putBytes(this.keyOf(written.sha256), Buffer.concat(head)),
      );
      return written;
    }
    const first = next.value;
    const rest = async function* (): AsyncIterable<Buffer> {
      yield* head;
      yield first;
      for (let item = await chunks.next(); item.done !== true; item = await chunks.next()) yield item.value;
    };
    return this.putViaTemp(Readable.from(rest()), measure, expect);
  }

  /** Streams to a temp object, then copies it to its content key once its hash is known. */
  private async putViaTemp(
    body: Readable,
    measure: MeasuringStream,
    expect: BlobExpectation,
  ): Promise<WrittenBlob> {
    const temp = `${this.tmpRoot}${randomBytes(12).toString("hex")}`;
    try {
      await this.objects.putStream(temp, body, expect.size ?? expect.maxBytes);
      const written = { size: measure.size, sha256: measure.hash.digest("hex") };
      mismatch(written, expect);
      await this.write(written.sha256, () =>
        this.objects.copy(temp, this.keyOf(written.sha256), written.size),
      );
      return written;
    } finally {
      await this.objects.delete(temp);
    }
  }

  async head(sha256: string): Promise<BlobInfo | null> {
    const info = await this.objects.head(this.keyOf(sha256));
    if (info === null) {
      this.leases.delete(sha256);
      return null;
    }
    const renewed = this.leases.get(sha256) ?? 0;
    if (!this.deleting.has(sha256)) this.lease(sha256, renewed);
    return { sha256, size: info.size, modifiedAt: Math.max(info.modifiedAt, renewed) };
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable | null> {
    return this.objects.get(this.keyOf(sha256), range);
  }

  async *list(): AsyncIterable<BlobInfo> {
    for await (const object of this.objects.list(this.blobsRoot)) {
      const sha256 = object.key.slice(object.key.lastIndexOf("/") + 1);
      if (!SHA256_HEX.test(sha256) || object.key !== this.keyOf(sha256)) continue;
      yield {
        sha256,
        size: object.size,
        modifiedAt: Math.max(object.modifiedAt, this.leases.get(sha256) ?? 0),
      };
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.objects.delete(this.keyOf(sha256));
    this.leases.delete(sha256);
  }

  /** Finds out which of these blobs exist, so that `touchSync` can answer for them inside a transaction. */
  async prepareLeases(sha256s: Iterable<string>): Promise<void> {
    for (const sha256 of sha256s) {
      await this.deleting.get(sha256);
      if (!this.leases.has(sha256)) await this.head(sha256);
    }
  }

  touchSync(sha256: string): boolean {
    if (this.deleting.has(sha256) || !this.leases.has(sha256)) return false;
    this.lease(sha256, Date.now() / 1000);
    return true;
  }

  deleteIfOlderSync(sha256: string, before: number): boolean {
    if ((this.writing.get(sha256) ?? 0) > 0 || (this.leases.get(sha256) ?? 0) >= before) return false;
    if (this.deleting.has(sha256)) return true;
    this.leases.delete(sha256);
    const deletion = this.deleteUnlessRenewed(sha256, before).finally(() => this.deleting.delete(sha256));
    this.deleting.set(
      sha256,
      deletion.catch(() => undefined),
    );
    return true;
  }

  /** Resolves once the deletions `deleteIfOlderSync` decided are done. */
  async settleDeletes(): Promise<void> {
    await Promise.all([...this.deleting.values()]);
  }

  /** Writes of unfinished puts that a crash left under tmp/, older than `before`: removes them. */
  async removeStaleTemps(before: number): Promise<number> {
    let removed = 0;
    for await (const object of this.objects.list(this.tmpRoot))
      if (object.modifiedAt < before) {
        await this.objects.delete(object.key);
        removed++;
      }
    return removed;
  }

  beginUpload(_expect: { size: number; sha256: string }): Promise<string> {
    return this.uploads.begin();
  }
  uploadStatus(id: string): Promise<StagedUploadInfo | null> {
    return this.uploads.status(id);
  }
  appendUpload(id: string, offset: number, body: Readable, maxBytes: number): Promise<number> {
    return this.uploads.append(id, offset, body, maxBytes);
  }
  completeUpload(id: string, expect: { size: number; sha256: string }): Promise<WrittenBlob> {
    checkSha256(expect.sha256);
    return this.uploads.complete(id, expect);
  }
  abortUpload(id: string): Promise<void> {
    return this.uploads.abort(id);
  }
  listUploads(): AsyncIterable<StagedUploadInfo> {
    return this.uploads.list();
  }

  /** The server's own signed URL: clients send parts at byte offsets, which the server stages. */
  uploadUrl(id: string, expiresAt: number): string {
    return this.signer.url("upload", id, expiresAt);
  }
  /**
   * The server's own signed URL, which clients resolve against the server as with local files;
   * its route redirects a GET to `directDownloadUrl`, so the bytes come from S3 directly.
   */
  downloadUrl(sha256: string, expiresAt: number): string {
    checkSha256(sha256);
    return this.signer.url("download", sha256, expiresAt);
  }
  /** A presigned S3 GET URL of the blob (SigV4, at most 7 days). */
  directDownloadUrl(sha256: string, expiresAt: number): string {
    return presignGet(this.objects.settings, this.credentials, this.keyOf(sha256), expiresAt, new Date());
  }

  async close(): Promise<void> {
    clearInterval(this.refresh);
    await this.settleDeletes();
    this.objects.close();
  }

  keyOf(sha256: string): string {
    checkSha256(sha256);
    return `${this.blobsRoot}${sha256.slice(0, 2)}/${sha256}`;
  }

  private async placeUpload(parts: UploadPart[], expect: WrittenBlob, verified: boolean): Promise<void> {
    const [only] = parts;
    await this.write(expect.sha256, async () => {
      // Bytes already hashed as they arrived are joined inside S3; others stream through here.
      if (verified && only !== undefined && parts.length === 1)
        return this.objects.copy(only.key, this.keyOf(expect.sha256), only.size);
      if (verified && (await this.objects.compose(parts, this.keyOf(expect.sha256)))) return;
      const verify = new VerifyingStream(
        expect.size,
        () => tooLong(expect.size),
        (w) => mismatch(w, expect),
      );
      const body = pipeline(this.uploads.partsStream(parts), verify, noop);
      return this.objects.putStream(this.keyOf(expect.sha256), body, expect.size);
    });
  }

  /**
   * Remembers the blob as stored, renewed at `at`, as the newest entry; past MAX_LEASES the
   * longest-unrenewed one is forgotten (a later record of it looks it up again).
   */
  private lease(sha256: string, at: number): void {
    this.leases.delete(sha256);
    this.leases.set(sha256, at);
    if (this.leases.size > MAX_LEASES) {
      const oldest = this.leases.keys().next();
      if (oldest.done !== true) this.leases.delete(oldest.value);
    }
  }

  /** Runs a write of blob `sha256` after any deletion of it here, sparing it from collection meanwhile. */
  private async write(sha256: string, work: () => Promise<void>): Promise<void> {
    this.writing.set(sha256, (this.writing.get(sha256) ?? 0) + 1);
    try {
      await this.deleting.get(sha256);
      await work();
      this.lease(sha256, Date.now() / 1000);
    } finally {
      const left = (this.writing.get(sha256) ?? 1) - 1;
      if (left > 0) this.writing.set(sha256, left);
      else this.writing.delete(sha256);
    }
  }

  /** Deletes the blob unless it was written again since `before` (by any process). */
  private async deleteUnlessRenewed(sha256: string, before: number): Promise<void> {
    const info = await this.objects.head(this.keyOf(sha256));
    if (info !== null && info.modifiedAt < before) await this.objects.delete(this.keyOf(sha256));
  }
}

function tooLong(size: number): Error {
  return new ContentMismatchError(
    `the upload holds more than the declared ${size} bytes; nothing of it was kept`,
  );
}

function noop(): void {}
