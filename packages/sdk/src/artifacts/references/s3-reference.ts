/**
 * `s3://bucket/key` references. Logging an object asks S3 for its head (HeadObject: ETag,
 * size, VersionId in a versioned bucket); a key that ends in `/`, a bare bucket, or a key with
 * no object but objects under `key/` is a folder: one entry per object under it, listed with
 * ListObjectsV2 page by page (ETag and size from the listing, no request per object), up to
 * `maxObjects`. The entry's ref names the object, with `?versionId=` when S3 gave one (the form
 * W&B reads too), so a download fetches exactly the version logged. Downloading GETs the object
 * and keeps it only when its ETag is the one logged; an entry logged without a version whose
 * object changed is looked for among the object's versions by that ETag, as W&B does.
 */
import type { Readable } from "node:stream";
import { filePathSchema, NotFoundError, UsageError, type ReferenceManifestEntry } from "@stepwise/protocol";
import { normalizeEtag } from "./http-reference.js";
import {
  changedReference,
  referenceRefused,
  referenceUnreachable,
  type ReferenceLabel,
  type ReferenceStage,
} from "./reference-errors.js";
import type { S3Access } from "./s3-client.js";

export interface S3Object {
  bucket: string;
  key: string;
  versionId: string | null;
}

/** A reference to add: its entry path (a folder's prefix when `named`), and the most objects a folder may hold. */
export interface S3ReferenceRequest {
  path: string;
  uri: string;
  named: boolean;
  maxObjects: number;
}

/** Objects asked for per ListObjectsV2 page (S3's most). */
const LIST_PAGE = 1000;

/**
 * The bucket, key and version an `s3://` URI names. Read by hand, not with `URL`: a URL parser
 * folds `.` and `..` segments (`a/./b` → `a/b`), which are ordinary characters of an S3 key.
 */
export function parseS3Uri(uri: string): S3Object {
  const match = /^s3:\/\/([^/?#]*)\/?([^?#]*)(?:\?([^#]*))?/i.exec(uri);
  const key = decodeOrKeep(match?.[2] ?? "");
  // Not URLSearchParams: it reads `+` as a space, and version ids hold `+`.
  const param = (match?.[3] ?? "").split("&").find((part) => part.startsWith("versionId="));
  const versionId = param === undefined ? null : decodeOrKeep(param.slice("versionId=".length));
  return {
    bucket: match?.[1] ?? "",
    key,
    versionId: versionId === null || versionId === "" ? null : versionId,
  };
}

/** `%`-escapes decoded; text that is not valid escaping (a bare `%`) kept as written. */
function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The URI of an object (its key escaped where a URI needs it), with its version when given. */
export function s3Uri(bucket: string, key: string, versionId: string | null): string {
  const path = encodeURI(key).replace(/[?#]/g, (c) => encodeURIComponent(c));
  return `s3://${bucket}/${path}${versionId === null ? "" : `?versionId=${encodeURIComponent(versionId)}`}`;
}

/** The manifest entries of an s3:// reference logged with a checksum. */
export async function sealS3Reference(
  artifact: string,
  request: S3ReferenceRequest,
  s3: S3Access,
): Promise<ReferenceManifestEntry[]> {
  const label = { artifact, path: request.path, uri: request.uri };
  const object = parseS3Uri(request.uri);
  let prefix = object.key;
  if (object.key !== "" && !object.key.endsWith("/")) {
    try {
      const head = await s3.client.send(
        new s3.sdk.HeadObjectCommand({
          Bucket: object.bucket,
          Key: object.key,
          ...(object.versionId === null ? {} : { VersionId: object.versionId }),
        }),
      );
      const versionId = head.VersionId === undefined || head.VersionId === "null" ? null : head.VersionId;
      const ref = s3Uri(object.bucket, object.key, versionId);
      return [
        {
          path: request.path,
          ref,
          digest: normalizeEtag(head.ETag) ?? ref,
          size: head.ContentLength ?? null,
        },
      ];
    } catch (error) {
      if (statusOf(error) !== 404 || object.versionId !== null) throw s3Failure(label, error, "logged");
    }
    prefix = `${object.key}/`;
  }
  const entries = await listFolder(label, request, object.bucket, prefix, s3);
  if (entries.length === 0)
    throw new NotFoundError(
      `artifact ${artifact}: the reference '${request.path}' (${request.uri}) names no object, and no object is under s3://${object.bucket}/${prefix}; check the bucket and key`,
    );
  return entries;
}

async function listFolder(
  label: ReferenceLabel,
  request: S3ReferenceRequest,
  bucket: string,
  prefix: string,
  s3: S3Access,
): Promise<ReferenceManifestEntry[]> {
  const base = request.named ? `${request.path}/` : "";
  const entries: ReferenceManifestEntry[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.client.send(
        new s3.sdk.ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          MaxKeys: LIST_PAGE,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
    } catch (error) {
      throw s3Failure(label, error, "logged");
    }
    for (const listed of page.Contents ?? []) {
      const key = listed.Key;
      if (key === undefined || key.endsWith("/")) continue; // a folder marker, no content of its own
      if (entries.length >= request.maxObjects)
        throw new UsageError(
          `artifact ${label.artifact}: the reference '${label.path}' (${label.uri}) holds more than ${request.maxObjects} objects; pass { maxObjects } to addReference to allow more, or reference a narrower prefix`,
        );
      const path = base + key.slice(prefix.length);
      if (!filePathSchema.safeParse(path).success)
        throw new UsageError(
          `artifact ${label.artifact}: the object s3://${bucket}/${key} under the reference '${label.path}' cannot be the entry '${path}' (not a relative path); reference the objects one by one with { name }`,
        );
      const ref = s3Uri(bucket, key, null);
      entries.push({ path, ref, digest: normalizeEtag(listed.ETag) ?? ref, size: listed.Size ?? null });
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return entries;
}

/**
 * GETs a logged object for download: the body, once its ETag is the one logged. An entry with no
 * version whose object changed is fetched from the version that still has the logged ETag, if any.
 */
export async function openS3Reference(
  label: ReferenceLabel,
  entry: ReferenceManifestEntry,
  s3: S3Access,
): Promise<Readable> {
  const object = parseS3Uri(entry.ref);
  const checked = entry.digest !== entry.ref;
  const got = await getObject(label, object, s3);
  if (!checked || got.etag === entry.digest) return got.body;
  got.body.destroy();
  if (object.versionId === null) {
    const versionId = await versionWithEtag(object, entry.digest, s3);
    if (versionId !== null) {
      const older = await getObject(label, { ...object, versionId }, s3);
      if (older.etag === entry.digest) return older.body;
      older.body.destroy();
    }
  }
  throw changedReference(label, got.etag === null ? "no ETag" : `ETag ${got.etag}`, entry.digest);
}

async function getObject(
  label: ReferenceLabel,
  object: S3Object,
  s3: S3Access,
): Promise<{ body: Readable; etag: string | null }> {
  try {
    const got = await s3.client.send(
      new s3.sdk.GetObjectCommand({
        Bucket: object.bucket,
        Key: object.key,
        ...(object.versionId === null ? {} : { VersionId: object.versionId }),
      }),
    );
    return { body: got.Body as Readable, etag: normalizeEtag(got.ETag) };
  } catch (error) {
    throw s3Failure(label, error, "downloaded");
  }
}

/** The id of the object's version whose ETag is `etag` (null: none, or versions cannot be listed). */
async function versionWithEtag(object: S3Object, etag: string, s3: S3Access): Promise<string | null> {
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  try {
    for (;;) {
      const page = await s3.client.send(
        new s3.sdk.ListObjectVersionsCommand({
          Bucket: object.bucket,
          Prefix: object.key,
          ...(keyMarker === undefined ? {} : { KeyMarker: keyMarker }),
          ...(versionMarker === undefined ? {} : { VersionIdMarker: versionMarker }),
        }),
      );
      for (const version of page.Versions ?? [])
        if (
          version.Key === object.key &&
          normalizeEtag(version.ETag) === etag &&
          version.VersionId !== undefined
        )
          return version.VersionId;
      if (page.IsTruncated !== true) return null;
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
    }
  } catch {
    return null; // an unversioned bucket, or a store without versions: the object changed
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function s3Failure(label: ReferenceLabel, error: unknown, stage: ReferenceStage): Error {
  const status = statusOf(error);
  return status === undefined
    ? referenceUnreachable(label, error, stage)
    : referenceRefused(label, status, stage);
}
