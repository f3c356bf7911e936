/**
 * The few S3 operations the blob store needs, over the AWS SDK for JavaScript, which is loaded
 * here on first use (dynamic import) so that a server on local files never loads it. Any
 * S3-compatible endpoint: request checksums only where S3 requires them (older S3-compatible
 * servers refuse the SDK's default trailing checksums).
 */
import { Readable } from "node:stream";
import type * as SdkModule from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import type * as StorageModule from "@aws-sdk/lib-storage";
import type { S3Settings } from "./s3-location.js";
import type { ResolvedCredentials } from "./s3-presign.js";

type Sdk = typeof SdkModule;
type Storage = typeof StorageModule;

export interface ObjectInfo {
  key: string;
  size: number;
  /** Unix seconds. */
  modifiedAt: number;
}

/** CopyObject copies at most 5 GiB; larger objects are copied in parts of this size. */
const COPY_MAX_BYTES = 5 * 1024 ** 3;
const COPY_PART_BYTES = 1024 ** 3;
/** Most parts of one multipart upload (S3's limit is 10,000; some margin). */
const MAX_PARTS = 9_000;
/** Smallest part of a multipart upload S3 accepts (the last one excepted). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

export class S3Objects {
  private constructor(
    readonly settings: S3Settings,
    private readonly sdk: Sdk,
    private readonly storage: Storage,
    readonly client: S3Client,
  ) {}

  static async open(settings: S3Settings): Promise<S3Objects> {
    const [sdk, storage] = await Promise.all([import("@aws-sdk/client-s3"), import("@aws-sdk/lib-storage")]);
    const client = new sdk.S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
      ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    });
    return new S3Objects(settings, sdk, storage, client);
  }

  /** The credentials the client signs with now (for presigned URLs). */
  async credentials(): Promise<ResolvedCredentials> {
    const resolved = await this.client.config.credentials();
    return {
      accessKeyId: resolved.accessKeyId,
      secretAccessKey: resolved.secretAccessKey,
      ...(resolved.sessionToken === undefined ? {} : { sessionToken: resolved.sessionToken }),
      ...(resolved.expiration === undefined ? {} : { expiration: resolved.expiration }),
    };
  }

  /** Fails with a clear message when the bucket cannot be reached (wrong name, endpoint or keys). */
  async checkBucket(): Promise<void> {
    await this.client.send(new this.sdk.HeadBucketCommand({ Bucket: this.settings.bucket }));
  }

  /** Writes a small body in one request. */
  async putBytes(key: string, body: Uint8Array): Promise<void> {
    await this.client.send(
      new this.sdk.PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
      }),
    );
  }

  /**
   * Streams `body` to `key`: one PutObject when it is small, else a multipart upload in parts
   * sized for `sizeHint` (parts are buffered, a few at a time). The object appears only when
   * the body ended without an error: a body that fails (or is refused at its end by a checking
   * stream) leaves no object, and its error is the one thrown.
   */
  async putStream(key: string, body: Readable, sizeHint?: number): Promise<void> {
    let bodyError: Error | undefined;
    body.once("error", (error: Error) => (bodyError ??= error));
    const partSize = Math.max(8 * 1024 * 1024, Math.ceil((sizeHint ?? 0) / MAX_PARTS));
    const upload = new this.storage.Upload({
      client: this.client,
      // Wrapped: the SDK would take a measuring stream's running `size` for the body's length.
      params: { Bucket: this.settings.bucket, Key: key, Body: Readable.from(chunksOf(body)) },
      partSize,
      queueSize: 2,
      // Aborted below, so that a server refusing the abort cannot hide why the upload failed.
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (error) {
      const UploadId = (upload as unknown as { uploadId?: string }).uploadId;
      if (UploadId !== undefined)
        await this.client
          .send(
            new this.sdk.AbortMultipartUploadCommand({ Bucket: this.settings.bucket, Key: key, UploadId }),
          )
          .catch(() => undefined);
      // The body's own error (a refusal, a cut connection) rather than what followed from it.
      const failure: unknown = bodyError ?? error;
      throw failure instanceof Error ? failure : new Error(String(failure));
    }
    if (bodyError !== undefined) throw bodyError;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const out = await this.client.send(
        new this.sdk.HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }),
      );
      return { key, size: out.ContentLength ?? 0, modifiedAt: seconds(out.LastModified) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** The object's bytes (`start`–`end` inclusive when given), or null when there is none. */
  async get(key: string, range?: { start: number; end: number }): Promise<Readable | null> {
    try {
      const out = await this.client.send(
        new this.sdk.GetObjectCommand({
          Bucket: this.settings.bucket,
          Key: key,
          ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      const body = out.Body as Readable;
      if (range === undefined || out.ContentRange !== undefined) return body;
      // A server that ignored the range answers the whole object: cut the range out of it.
      return Readable.from(slice(range.start, range.end - range.start + 1)(body));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Every object under `prefix`. */
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new this.sdk.ListObjectsV2Command({
          Bucket: this.settings.bucket,
          Prefix: prefix,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const item of page.Contents ?? [])
        if (item.Key !== undefined)
          yield { key: item.Key, size: item.Size ?? 0, modifiedAt: seconds(item.LastModified) };
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** Copies `from` to `to` inside the bucket, server-side (in parts above 5 GiB). */
  async copy(from: string, to: string, size: number): Promise<void> {
    const Bucket = this.settings.bucket;
    const CopySource = this.copySource(from);
    if (size <= COPY_MAX_BYTES) {
      await this.client.send(new this.sdk.CopyObjectCommand({ Bucket, Key: to, CopySource }));
      return;
    }
    const { UploadId } = await this.client.send(
      new this.sdk.CreateMultipartUploadCommand({ Bucket, Key: to }),
    );
    try {
      const Parts: { ETag: string; PartNumber: number }[] = [];
      for (let start = 0, PartNumber = 1; start < size; start += COPY_PART_BYTES, PartNumber++) {
        const end = Math.min(size, start + COPY_PART_BYTES) - 1;
        const out = await this.client.send(
          new this.sdk.UploadPartCopyCommand({
            Bucket,
            Key: to,
            UploadId,
            PartNumber,
            CopySource,
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        Parts.push({ ETag: out.CopyPartResult?.ETag ?? "", PartNumber });
      }
      await this.client.send(
        new this.sdk.CompleteMultipartUploadCommand({
          Bucket,
          Key: to,
          UploadId,
          MultipartUpload: { Parts },
        }),
      );
    } catch (error) {
      await this.client
        .send(new this.sdk.AbortMultipartUploadCommand({ Bucket, Key: to, UploadId }))
        .catch(() => undefined);
      throw error;
    }
  }

  /**
   * Concatenates `parts` (each 5 MiB to 5 GiB but the last) into `to` server-side, as a
   * multipart upload of UploadPartCopy parts, four at a time: the bytes do not pass through
   * this process. False (nothing written) when they do not qualify or the server cannot
   * (UploadPartCopy is missing from some S3-compatible servers): stream them instead.
   */
  async compose(parts: { key: string; size: number }[], to: string): Promise<boolean> {
    const fits = parts.every(
      (part, i) => part.size <= COPY_MAX_BYTES && (i === parts.length - 1 || part.size >= MIN_PART_BYTES),
    );
    if (parts.length < 2 || parts.length > MAX_PARTS || !fits) return false;
    const Bucket = this.settings.bucket;
    let UploadId: string | undefined;
    try {
      UploadId = (await this.client.send(new this.sdk.CreateMultipartUploadCommand({ Bucket, Key: to })))
        .UploadId;
      const etags: string[] = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < parts.length; i = next++) {
          const part = parts[i] as { key: string };
          const out = await this.client.send(
            new this.sdk.UploadPartCopyCommand({
              Bucket,
              Key: to,
              UploadId,
              PartNumber: i + 1,
              CopySource: this.copySource(part.key),
            }),
          );
          etags[i] = out.CopyPartResult?.ETag ?? "";
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      await this.client.send(
        new this.sdk.CompleteMultipartUploadCommand({
          Bucket,
          Key: to,
          UploadId,
          MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
        }),
      );
      return true;
    } catch {
      if (UploadId !== undefined)
        await this.client
          .send(new this.sdk.AbortMultipartUploadCommand({ Bucket, Key: to, UploadId }))
          .catch(() => undefined);
      return false;
    }
  }

  private copySource(key: string): string {
    return `${this.settings.bucket}/${encodeURIComponent(key).replace(/%2F/g, "/")}`;
  }

  close(): void {
    this.client.destroy();
  }
}

async function* chunksOf(body: Readable): AsyncIterable<Buffer> {
  for await (const chunk of body) yield chunk as Buffer;
}

function seconds(date: Date | undefined): number {
  return date === undefined ? 0 : date.getTime() / 1000;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return name === "NotFound" || name === "NoSuchKey" || status === 404;
}

/** A stream that passes `length` bytes from byte `start` of what goes through it. */
function slice(start: number, length: number): (source: AsyncIterable<Buffer>) => AsyncIterable<Buffer> {
  return async function* (source) {
    let offset = 0;
    for await (const chunk of source) {
      const from = Math.max(0, start - offset);
      const to = Math.min(chunk.length, start + length - offset);
      offset += chunk.length;
      if (to > from) yield chunk.subarray(from, to);
      if (offset >= start + length) return;
    }
  };
}
