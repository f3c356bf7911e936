/**
 * Presigned S3 GET URLs (AWS Signature Version 4, query-string authentication), computed
 * synchronously from credentials already resolved, so `BlobStore.downloadUrl` can stay a plain
 * function. Anyone holding such a URL may download that one object until it expires (at most
 * 7 days, S3's limit, and never past the credentials' own expiry); clients fetch it from the
 * object store directly, so file bytes need not pass through the API servers.
 */
import { createHash, createHmac } from "node:crypto";
import type { S3Settings } from "./s3-location.js";

export interface ResolvedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials stop working. */
  expiration?: Date;
}

/** S3's longest presigned URL lifetime: 7 days. */
export const MAX_PRESIGN_S = 7 * 24 * 3600;

/** RFC 3986 encoding, as SigV4 wants it (`/` kept when `keepSlash`). */
function encode(text: string, keepSlash = false): string {
  const encoded = encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return keepSlash ? encoded.replace(/%2F/g, "/") : encoded;
}

/** The object's URL without query: path-style on custom endpoints, virtual-hosted on AWS. */
export function objectUrl(settings: S3Settings, key: string): URL {
  const path = encode(key, true);
  if (settings.endpoint !== undefined) {
    const base = settings.endpoint;
    return settings.forcePathStyle
      ? new URL(`${base}/${encode(settings.bucket)}/${path}`)
      : new URL(`${base.replace("://", `://${settings.bucket}.`)}/${path}`);
  }
  const host = `s3.${settings.region}.amazonaws.com`;
  return settings.forcePathStyle || settings.bucket.includes(".")
    ? new URL(`https://${host}/${encode(settings.bucket)}/${path}`)
    : new URL(`https://${settings.bucket}.${host}/${path}`);
}

/**
 * A presigned GET of `key` valid until `expiresAt` (unix seconds; clamped to what S3 and the
 * credentials allow), signed at `now`.
 */
export function presignGet(
  settings: S3Settings,
  credentials: ResolvedCredentials,
  key: string,
  expiresAt: number,
  now: Date,
): string {
  const url = objectUrl(settings, key);
  const nowS = Math.floor(now.getTime() / 1000);
  const credentialEnd =
    credentials.expiration === undefined ? Infinity : Math.floor(credentials.expiration.getTime() / 1000);
  const expires = Math.max(1, Math.min(Math.floor(expiresAt), credentialEnd) - nowS);
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${settings.region}/s3/aws4_request`;
  const query: Record<string, string> = {
    // The same parameters as the AWS SDK's presigner (s3-request-presigner), so the two agree.
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD",
    "X-Amz-Credential": `${credentials.accessKeyId}/${scope}`,
    "X-Amz-Date": amzDate,
    "X-Amz-Expires": String(Math.min(expires, MAX_PRESIGN_S)),
    "X-Amz-SignedHeaders": "host",
    ...(credentials.sessionToken === undefined ? {} : { "X-Amz-Security-Token": credentials.sessionToken }),
    "x-id": "GetObject",
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((name) => `${encode(name)}=${encode(query[name] ?? "")}`)
    .join("&");
  const canonicalRequest = [
    "GET",
    url.pathname,
    canonicalQuery,
    `host:${url.host}\n`,
    "host",
    "UNSIGNED-PAYLOAD",
  ].join("\n");
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    amzDate,
    scope,
    createHash("sha256").update(canonicalRequest).digest("hex"),
  ].join("\n");
  let signingKey: Buffer = createHmac("sha256", `AWS4${credentials.secretAccessKey}`).update(day).digest();
  for (const part of [settings.region, "s3", "aws4_request"])
    signingKey = createHmac("sha256", signingKey).update(part).digest();
  const signature = createHmac("sha256", signingKey).update(stringToSign).digest("hex");
  const signed = { ...query, "X-Amz-Signature": signature };
  const search = Object.keys(signed)
    .sort()
    .map((name) => `${encode(name)}=${encode(signed[name as keyof typeof signed] ?? "")}`)
    .join("&");
  return `${url.origin}${url.pathname}?${search}`;
}
